// Starts a worker thread whose entry point is an engine module. Bundled (the app), the module is a
// plain .js file and starts directly. As TypeScript (CLI, tests, browser host), a Worker neither
// inherits the parent's tsx loader nor accepts `--import` in execArgv, so a tiny bootstrap registers
// tsx first and then imports the module.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

export function startModuleWorker(moduleUrl: string, workerData: unknown): Worker {
  if (!moduleUrl.endsWith('.ts')) return new Worker(new URL(moduleUrl), { workerData })
  // The ESM entry of tsx/esm/api (require.resolve would pick its CommonJS one, which cannot register here).
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'))
  const tsx = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(moduleUrl)}) })`
  return new Worker(boot, { eval: true, workerData })
}

/** What a job worker's message means to its caller: its answer, its failure, or nothing yet (progress). */
export type WorkerOutcome<T> = { readonly value: T } | { readonly error: unknown } | undefined

/**
 * Settles with a job worker's answer and then stops it. `read` turns each message into an outcome; an
 * `error` event or an exit before the answer rejects; `signal` rejects with `cancelled()` and terminates
 * the thread (a synchronous loop or onnxruntime run inside cannot be interrupted any other way).
 */
export function workerOutcome<T, M>(worker: Worker, what: string, read: (message: M) => WorkerOutcome<T>, signal?: AbortSignal, cancelled: () => unknown = () => signal?.reason): Promise<T> {
  return new Promise((resolve, reject) => {
    let settled = false
    const finish = (settle: () => void): void => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      settle()
      void worker.terminate()
    }
    const onAbort = (): void => finish(() => reject(cancelled()))
    signal?.addEventListener('abort', onAbort, { once: true })
    worker.on('message', (message: M) => {
      const outcome = read(message)
      if (outcome && 'value' in outcome) finish(() => resolve(outcome.value))
      else if (outcome) finish(() => reject(outcome.error))
    })
    worker.on('error', (err) => finish(() => reject(err)))
    worker.on('exit', (code) => finish(() => reject(new Error(`${what} stopped unexpectedly (exit code ${code})`))))
  })
}
