// A large neighbour search in a worker thread. onnxruntime-node runs a session on the thread that calls
// it, so every Gemm + TopK run of nearestNeighbours blocks that thread: predicting 47,837 tickets after a
// training searched them all on the engine's request thread, ~0.1 s per run for half a minute. Here the
// whole search is one session over large runs (the per-chunk searches of predictAll ran at half this
// rate: a session per chunk, and small query blocks make a slower Gemm), and cancelling stops the thread.
import { isMainThread, parentPort, workerData } from 'node:worker_threads'
import { startModuleWorker, workerOutcome } from '../jobs/moduleWorker.ts'
import { nearestNeighbours, type Neighbours } from './neighbourSearch.ts'

interface SearchJob {
  readonly neighbourSearch: true
  readonly queries: Float32Array
  readonly keys: Float32Array
  readonly dimension: number
  readonly k: number
}

type FromWorker = { type: 'progress'; done: number; total: number } | { type: 'done'; result: Neighbours } | { type: 'error'; message: string }

export interface SearchHooks {
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((done: number, total: number) => void) | undefined
}

/** `nearestNeighbours(queries, keys, dimension, k)` in a worker; `signal` terminates it (an AbortError). */
export function nearestNeighboursInWorker(queries: Float32Array, keys: Float32Array, dimension: number, k: number, hooks: SearchHooks = {}): Promise<Neighbours> {
  const { signal } = hooks
  if (signal?.aborted) return Promise.reject(signal.reason)
  const worker = startModuleWorker(import.meta.url, { neighbourSearch: true, queries, keys, dimension, k } satisfies SearchJob)
  return workerOutcome<Neighbours, FromWorker>(
    worker,
    'neighbour search',
    (msg: FromWorker) => {
      if (msg.type === 'progress') {
        hooks.onProgress?.(msg.done, msg.total)
        return undefined
      }
      if (msg.type === 'done') return { value: msg.result }
      return { error: new Error(`neighbour search failed: ${msg.message}`) }
    },
    signal
  )
}

if (!isMainThread && parentPort && (workerData as Partial<SearchJob> | undefined)?.neighbourSearch) {
  const port = parentPort
  const job = workerData as SearchJob
  nearestNeighbours(job.queries, job.keys, job.dimension, job.k, { onProgress: (done, total) => port.postMessage({ type: 'progress', done, total } satisfies FromWorker) })
    .then((result) => port.postMessage({ type: 'done', result } satisfies FromWorker, [result.indices.buffer as ArrayBuffer, result.scores.buffer as ArrayBuffer]))
    .catch((err: unknown) => port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies FromWorker))
}
