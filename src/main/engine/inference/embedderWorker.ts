// Runs an ONNX embedder in a worker thread: tokenising and `session.run` block the thread they run on
// for hundreds of milliseconds per batch, and the engine's main thread must keep answering the window.
// The same file is the worker's entry point.
import { setPriority } from 'node:os'
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads'
import { startModuleWorker } from '../jobs/moduleWorker.ts'
import { EmbedderLoadError, loadEmbedder, type Embedder, type EmbedderErrorCode, type LoadEmbedderOptions } from './embedder.ts'

interface WorkerSetup {
  readonly embedderWorker: { readonly name: string; readonly options: LoadEmbedderOptions }
}

/**
 * How long a closing worker may take to finish its current batch before it is terminated anyway. Generous:
 * terminating it inside a run takes the process down, and on a loaded 2-core machine (embedding threads run
 * at nice 5) the close message waited 1.5 s for the run in hand and the whole stop took up to 3.5 s, which
 * the former 3 s limit cut short.
 */
const CLOSE_GRACE_MS = 20_000

type ToWorker = { type: 'embed'; id: number; texts: string[] } | { type: 'close' }
type FromWorker =
  | { type: 'loaded'; name: string; dimension: number; provider: string; providerNotes: string[] }
  | { type: 'embedded'; id: number; vectors: Float32Array }
  | { type: 'error'; id?: number; code?: EmbedderErrorCode; message: string }

/** Same contract as `loadEmbedder`, with the model living in its own thread. */
export function loadEmbedderInWorker(name: string, options: LoadEmbedderOptions = {}): Promise<Embedder> {
  const worker: Worker = startModuleWorker(import.meta.url, { embedderWorker: { name, options } } satisfies WorkerSetup)
  const pending = new Map<number, { resolve: (v: Float32Array) => void; reject: (e: Error) => void }>()
  let nextId = 0
  let failure: Error | undefined
  const failAll = (err: Error): void => {
    failure = err
    for (const p of pending.values()) p.reject(err)
    pending.clear()
  }
  return new Promise((resolve, reject) => {
    worker.on('error', (err) => {
      failAll(err)
      reject(err)
    })
    worker.on('exit', (code) => {
      const err = new Error(`the embedding worker stopped (exit code ${code})`)
      failAll(err)
      reject(err)
    })
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'loaded') {
        resolve({
          name: msg.name,
          dimension: msg.dimension,
          provider: msg.provider,
          providerNotes: msg.providerNotes,
          embed(texts) {
            if (failure) return Promise.reject(failure)
            const id = nextId++
            return new Promise((res, rej) => {
              pending.set(id, { resolve: res, reject: rej })
              worker.postMessage({ type: 'embed', id, texts } satisfies ToWorker)
            })
          },
          async close() {
            // Ask first: the worker stops after the batch in hand and releases its session. Terminating a
            // thread inside onnxruntime's run aborts the whole process ("terminate called after
            // throwing an instance of 'Napi::Error'"), so terminate() is only for a worker that hangs.
            if (!failure) failure = new Error('the embedder was closed')
            worker.removeAllListeners('exit')
            const exited = new Promise<void>((done) =>
              worker.once('exit', () => {
                // Runs it stopped early (or never started) answer now instead of waiting forever.
                failAll(failure ?? new Error('the embedder was closed'))
                done()
              })
            )
            worker.postMessage({ type: 'close' } satisfies ToWorker)
            const timer = new Promise<'late'>((done) => setTimeout(() => done('late'), CLOSE_GRACE_MS).unref())
            if ((await Promise.race([exited, timer])) === 'late') await worker.terminate()
          }
        })
      } else if (msg.type === 'embedded') {
        pending.get(msg.id)?.resolve(msg.vectors)
        pending.delete(msg.id)
      } else if (msg.id === undefined) {
        // Loading failed: the same typed error the in-thread loader throws.
        void worker.terminate()
        reject(msg.code ? new EmbedderLoadError(msg.code, msg.message) : new Error(msg.message))
      } else {
        pending.get(msg.id)?.reject(new Error(msg.message))
        pending.delete(msg.id)
      }
    })
  })
}

/**
 * Niceness of an embedding thread. The engine's own thread answers the window; on a machine with as many
 * busy threads as cores it waited its turn behind the embedding workers, and page queries took hundreds of
 * milliseconds during an index job. A little lower priority lets it go first without starving the workers
 * next to other programs. Linux only: there setpriority on "this process" applies to the calling thread,
 * elsewhere to the whole engine.
 */
const EMBED_THREAD_NICE = 5

if (!isMainThread && parentPort && (workerData as Partial<WorkerSetup> | undefined)?.embedderWorker) {
  if (process.platform === 'linux') {
    try {
      setPriority(EMBED_THREAD_NICE)
    } catch {
      // Not allowed here (a container's limits): the workers simply run at normal priority.
    }
  }
  const port = parentPort
  const { name, options } = (workerData as WorkerSetup).embedderWorker
  loadEmbedder(name, options).then(
    (embedder) => {
      port.postMessage({
        type: 'loaded',
        name: embedder.name,
        dimension: embedder.dimension,
        provider: embedder.provider,
        providerNotes: embedder.providerNotes
      } satisfies FromWorker)
      // Requests are served one at a time, in order: the session is not shared between concurrent runs.
      let queue = Promise.resolve()
      const closing = new AbortController()
      port.on('message', (msg: ToWorker) => {
        if (msg.type === 'close') {
          // The run in hand stops at its next batch and the queued ones at once; the session is released
          // after them (a session released mid-run takes the process down with it).
          closing.abort(new Error('the embedder was closed'))
          void queue.then(() => embedder.close()).then(() => process.exit(0))
          return
        }
        queue = queue.then(async () => {
          try {
            const vectors = await embedder.embed(msg.texts, closing.signal)
            port.postMessage({ type: 'embedded', id: msg.id, vectors } satisfies FromWorker, [vectors.buffer as ArrayBuffer])
          } catch (err) {
            port.postMessage({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) } satisfies FromWorker)
          }
        })
      })
    },
    (err: unknown) =>
      port.postMessage({
        type: 'error',
        code: err instanceof EmbedderLoadError ? err.code : undefined,
        message: err instanceof Error ? err.message : String(err)
      } satisfies FromWorker)
  )
}
