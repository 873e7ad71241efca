// Main's only part in the data path: start the engine as a utilityProcess and hand each window one
// end of a MessageChannelMain (the engine gets the other), so ticket data never passes through main.
// If the engine exits, it is restarted and every window gets a fresh port with `restarted` set, which
// preload turns into the `engine.restarted` event.
import { existsSync } from 'node:fs'
import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron'
import type { TeamPasswordVault } from './teamPasswords.ts'

export interface EngineHostOptions {
  /** Built engine bundle (out/main/engine.js). */
  readonly entry: string
  readonly dbPath: string
  /** Where model installs go (default: next to the database); TRIAGE_MODELS_DIR is searched too, read-only. */
  readonly modelsDir?: string
  /**
   * better-sqlite3 is a V8-API addon: a Node build (ABI 115) does not load in Electron 45 (ABI 150).
   * When an Electron build exists (`build/electron/better_sqlite3.node`, made with @electron/rebuild on a
   * machine that can fetch Electron headers), main passes its path as TRIAGE_SQLITE_BINDING and the
   * engine's store opens better-sqlite3 with `nativeBinding` set to it; without it the engine uses the
   * default (Node) build, which is what tests and the browser host want.
   */
  readonly sqliteBinding?: string
  /** Keeps the team password encrypted (safeStorage); handed to the engine at each start. */
  readonly teamPasswords?: TeamPasswordVault
}

export interface PortMessage {
  readonly restarted?: { readonly reason: string; readonly at: string }
}

const MAX_BACKOFF_MS = 10_000

export class EngineHost {
  private child: UtilityProcess | null = null
  private ready = false
  private stopping = false
  private restarts = 0
  private startedAt = 0
  private readonly windows = new Set<WebContents>()
  private waiting: { contents: WebContents; message: PortMessage }[] = []
  /** Paths the user chose in a native dialog; the engine refuses requests naming others. Re-sent after a restart. */
  private readonly chosenPaths = new Set<string>()

  constructor(private readonly options: EngineHostOptions) {}

  start(): void {
    this.ready = false
    this.startedAt = Date.now()
    const env: Record<string, string> = { ...stringEnv(process.env), TRIAGE_DB_PATH: this.options.dbPath }
    if (this.options.sqliteBinding && existsSync(this.options.sqliteBinding)) env.TRIAGE_SQLITE_BINDING = this.options.sqliteBinding
    const args = this.options.modelsDir ? ['--models', this.options.modelsDir] : []
    const child = utilityProcess.fork(this.options.entry, args, { serviceName: 'Triage Desk engine', stdio: 'inherit', env })
    this.child = child
    for (const path of this.chosenPaths) child.postMessage({ type: 'allowPath', path })
    // Always sent, even empty: the engine's team auto sync waits for it.
    child.postMessage({ type: 'teamPasswords', entries: this.options.teamPasswords?.load() ?? [] })
    child.on('message', (message: unknown) => {
      const m = message as { type?: unknown; url?: unknown; password?: unknown } | null
      if (m?.type === 'teamPassword' && typeof m.url === 'string' && typeof m.password === 'string') {
        this.options.teamPasswords?.keep(m.url, m.password)
        return
      }
      if (m?.type === 'teamPasswordsForget') {
        this.options.teamPasswords?.forget()
        return
      }
      if (m?.type !== 'ready') return
      this.ready = true
      const waiting = this.waiting
      this.waiting = []
      for (const { contents, message: portMessage } of waiting) this.givePort(contents, portMessage)
    })
    child.on('exit', (code) => this.exited(child, code))
  }

  /** Gives a window (new, reloaded, or after a restart) a fresh port to the engine. */
  connect(contents: WebContents, message: PortMessage = {}): void {
    if (!this.windows.has(contents)) {
      this.windows.add(contents)
      contents.once('destroyed', () => this.windows.delete(contents))
    }
    if (this.ready && this.child) this.givePort(contents, message)
    else this.waiting.push({ contents, message })
  }

  /** A file or folder the user chose in a native dialog: the engine may now read it. */
  allowPath(path: string): void {
    this.chosenPaths.add(path)
    this.child?.postMessage({ type: 'allowPath', path })
  }

  stop(): void {
    this.stopping = true
    this.child?.kill()
    this.child = null
  }

  private givePort(contents: WebContents, message: PortMessage): void {
    if (contents.isDestroyed() || !this.child) return
    const { port1, port2 } = new MessageChannelMain()
    this.child.postMessage({ type: 'connect' }, [port1])
    contents.postMessage('triage:port', message, [port2])
  }

  private exited(child: UtilityProcess, code: number): void {
    if (child !== this.child || this.stopping) return
    this.child = null
    this.ready = false
    const reason = `engine exited with code ${code}`
    if (Date.now() - this.startedAt > 60_000) this.restarts = 0
    const delay = Math.min(250 * 2 ** this.restarts, MAX_BACKOFF_MS)
    this.restarts += 1
    console.error(`${reason}; restarting in ${delay} ms`)
    setTimeout(() => {
      if (this.stopping) return
      this.start()
      const restarted = { reason, at: new Date().toISOString() }
      for (const contents of this.windows) this.connect(contents, { restarted })
    }, delay)
  }
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value
  return out
}
