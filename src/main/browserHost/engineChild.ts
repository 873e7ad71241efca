// The engine as a plain Node child process for the browser host. Many WebSocket clients share the one
// IPC channel, so requests are re-numbered here and answered back to whoever asked. If the child dies,
// everything in flight fails with ENGINE_UNAVAILABLE, the child is restarted with backoff, and
// `engine.restarted` is pushed so the UI can say so.
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { WireEvent, WireRequest, WireResponse } from '../../shared/contract.ts'

export interface EngineChildOptions {
  readonly dbPath: string
  readonly modelsDir?: string
  /** Folder whose node_modules provides tsx (the repository root). */
  readonly cwd: string
}

interface Waiting {
  readonly resolve: (response: WireResponse) => void
  readonly request: WireRequest
}

const ENTRY = fileURLToPath(new URL('../engine/host/childProcessMain.ts', import.meta.url))
const MAX_BACKOFF_MS = 10_000
/**
 * How long a closing engine may take to stop its jobs and release onnxruntime before it is killed: longer
 * than its embedding workers' own limit (20 s, embedderWorker.ts), so this is only for an engine that hangs.
 */
const CLOSE_GRACE_MS = 30_000

export class EngineChild {
  private child: ChildProcess | null = null
  private ready = false
  private closing = false
  private nextId = 1
  private restarts = 0
  private lastStart = 0
  /** Sent to the child, waiting for its answer. */
  private readonly inFlight = new Map<number, Waiting>()
  /** Arrived before the child said it is ready (tsx start-up takes a moment). */
  private queued: Waiting[] = []
  private restartReason: string | null = null

  constructor(
    private readonly options: EngineChildOptions,
    private readonly onEvent: (event: WireEvent) => void
  ) {}

  start(): void {
    this.ready = false
    this.lastStart = Date.now()
    const args = ['--db', this.options.dbPath, ...(this.options.modelsDir ? ['--models', this.options.modelsDir] : [])]
    const child = fork(ENTRY, args, {
      cwd: this.options.cwd,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })
    this.child = child
    child.on('message', (message) => this.receive(message))
    child.on('exit', (code, signal) => this.exited(child, code, signal))
    child.on('error', (err) => console.error('engine child error:', err.message))
  }

  request(method: string, params: unknown): Promise<WireResponse> {
    return new Promise((resolve) => {
      const waiting: Waiting = { resolve, request: { id: this.nextId++, method, params } }
      if (this.ready && this.child?.connected) this.send(waiting)
      else if (this.closing) resolve(unavailable(waiting.request.id, 'The engine is shutting down.'))
      else this.queued.push(waiting)
    })
  }

  /**
   * Asks the engine to stop (SIGTERM: it cancels its jobs, releases its sessions, closes the database) and
   * settles when it has exited, so whoever removes the data folder or ends the process next does not cut
   * that short.
   */
  close(): Promise<void> {
    this.closing = true
    for (const waiting of this.queued) waiting.resolve(unavailable(waiting.request.id, 'The engine is shutting down.'))
    this.queued = []
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_GRACE_MS)
    return exited.finally(() => clearTimeout(timer))
  }

  /** Test hook and operator aid: the pid of the running engine. */
  get pid(): number | undefined {
    return this.child?.pid
  }

  private send(waiting: Waiting): void {
    this.inFlight.set(waiting.request.id, waiting)
    try {
      // send() throws synchronously on a closed channel or a value it cannot serialise; either way this
      // request gets an answer and the host lives on.
      this.child?.send(waiting.request, (err) => {
        if (err) this.fail(waiting, `The engine could not take the request (${err.message}).`)
      })
    } catch (err) {
      this.fail(waiting, `The engine could not take the request (${err instanceof Error ? err.message : String(err)}).`)
    }
  }

  private fail(waiting: Waiting, message: string): void {
    if (this.inFlight.get(waiting.request.id) !== waiting) return
    this.inFlight.delete(waiting.request.id)
    waiting.resolve(unavailable(waiting.request.id, message))
  }

  private receive(message: unknown): void {
    if (typeof message !== 'object' || message === null) return
    const record = message as Record<string, unknown>
    if (record.type === 'ready') {
      this.ready = true
      const queued = this.queued
      this.queued = []
      for (const waiting of queued) this.send(waiting)
      if (this.restartReason) {
        this.onEvent({ event: 'engine.restarted', payload: { reason: this.restartReason, at: new Date().toISOString() } })
        this.restartReason = null
      }
      return
    }
    if (typeof record.event === 'string') {
      this.onEvent(message as WireEvent)
      return
    }
    if (typeof record.id === 'number') {
      const waiting = this.inFlight.get(record.id)
      if (!waiting) return
      this.inFlight.delete(record.id)
      waiting.resolve(message as WireResponse)
    }
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return
    this.child = null
    this.ready = false
    const reason = signal ? `engine stopped by signal ${signal}` : `engine exited with code ${code}`
    for (const waiting of this.inFlight.values()) {
      waiting.resolve(unavailable(waiting.request.id, `The engine stopped while answering (${reason}); it is being restarted.`))
    }
    this.inFlight.clear()
    if (this.closing) return
    // A child that keeps dying at start-up must not spin the CPU: back off, and reset once it stayed up.
    if (Date.now() - this.lastStart > 60_000) this.restarts = 0
    const delay = Math.min(250 * 2 ** this.restarts, MAX_BACKOFF_MS)
    this.restarts += 1
    this.restartReason = reason
    console.error(`${reason}; restarting in ${delay} ms`)
    setTimeout(() => {
      if (!this.closing) this.start()
    }, delay).unref()
  }
}

function unavailable(id: number, message: string): WireResponse {
  return { id, ok: false, error: { code: 'ENGINE_UNAVAILABLE', message } }
}
