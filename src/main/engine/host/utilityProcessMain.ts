// Engine entry point inside Electron's utilityProcess. Main sends `{ type: 'connect' }` with one
// MessagePort per window; requests and responses then flow on that port without touching main.
// Electron's types are declared locally (structurally) because the engine must never import `electron`.
import { isMainThread } from 'node:worker_threads'
import { ChosenPaths } from './chosenPaths.ts'
import { EngineService, type EnginePeer } from './engineService.ts'
import { engineOptionsFromProcess } from './engineOptionsFromProcess.ts'
import { rememberPassword } from '../team/teamConnection.ts'

interface UtilityMessageEvent {
  readonly data: unknown
  readonly ports: readonly UtilityMessagePort[]
}

interface UtilityMessagePort {
  on(event: 'message', listener: (event: { readonly data: unknown }) => void): void
  on(event: 'close', listener: () => void): void
  postMessage(message: unknown): void
  start(): void
}

interface UtilityParentPort {
  on(event: 'message', listener: (event: UtilityMessageEvent) => void): void
  postMessage(message: unknown): void
}

// The bundled engine file is also the entry of its worker threads (embedding, training): they load it
// for their own module code, and must not start a second engine.
if (isMainThread) startEngine()

function startEngine(): void {
  const parentPort = (process as unknown as { parentPort?: UtilityParentPort }).parentPort
  if (!parentPort) {
    console.error('utilityProcessMain must run inside Electron utilityProcess.fork (no process.parentPort)')
    process.exit(2)
  }

  // The window's pages name files only by choosing them in main's native dialogs: main tells the engine
  // each chosen path, and a request naming any other path is refused (a compromised page cannot read files).
  const chosen = new ChosenPaths()
  // Team passwords live in main, encrypted with safeStorage: main hands them over first thing (the team's
  // auto sync waits for that), and keeps the one a join brings; none is written here.
  let passwordsGiven = (): void => {}
  const teamPasswordsReady = new Promise<void>((resolve) => (passwordsGiven = resolve))
  const service = new EngineService(
    {
      ...engineOptionsFromProcess(process.argv, process.env),
      teamPasswords: {
        keep: (url, password) => parentPort.postMessage({ type: 'teamPassword', url, password }),
        forget: () => parentPort.postMessage({ type: 'teamPasswordsForget' })
      },
      teamPasswordsReady
    },
    chosen
  )

  parentPort.on('message', (event) => {
    const message = event.data as { type?: unknown; path?: unknown; entries?: unknown } | null
    if (message?.type === 'allowPath' && typeof message.path === 'string') {
      chosen.allowPath(message.path)
      return
    }
    if (message?.type === 'teamPasswords') {
      for (const e of Array.isArray(message.entries) ? (message.entries as unknown[]) : []) {
        const entry = e as { url?: unknown; password?: unknown } | null
        if (typeof entry?.url === 'string' && typeof entry.password === 'string') rememberPassword(entry.url, entry.password)
      }
      passwordsGiven()
      return
    }
    const port = event.ports[0]
    if (message?.type !== 'connect' || !port) return
    const peer: EnginePeer = { post: (wire) => port.postMessage(wire) }
    const detach = service.attach(peer)
    port.on('message', (e) => void service.serve(peer, e.data))
    // Main closes its end when the window goes away; forget the peer so events stop flowing to it.
    port.on('close', detach)
    port.start()
  })

  // Tells main the engine opened its database and is ready for ports (used for restart bookkeeping).
  parentPort.postMessage({ type: 'ready' })

  process.once('SIGTERM', () => {
    // Let the embedding workers finish their batch and release onnxruntime before the process ends.
    void service.close().finally(() => process.exit(0))
  })
}
