// Runs `trainHead` in a worker thread so the engine keeps answering while a head trains (tens of
// seconds to minutes on 40k tickets). The same file is the worker's entry point.
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads'
import { startModuleWorker, workerOutcome } from '../jobs/moduleWorker.ts'
import { trainHead, TrainingError, type TrainedHead, type TrainingHooks, type TrainingInput, type TrainingParams, type WarmStart } from './trainHead.ts'

type FromWorker =
  | { type: 'progress'; progress: Parameters<NonNullable<TrainingHooks['onProgress']>>[0] }
  | { type: 'done'; head: TrainedHead }
  | { type: 'error'; code?: string; message: string }

interface WorkerJob {
  input: TrainingInput
  params: Partial<TrainingParams>
  warm?: WarmStart
}

/**
 * Train in a Worker; `signal` terminates it (the L-BFGS loop is synchronous, so cancelling means
 * stopping the thread). Rejects with an AbortError on cancel and a TrainingError on bad input.
 */
export function trainInWorker(input: TrainingInput, params: Partial<TrainingParams> = {}, hooks: TrainingHooks = {}, warm?: WarmStart): Promise<TrainedHead> {
  const cancelled = (): DOMException => new DOMException('training cancelled', 'AbortError')
  if (hooks.signal?.aborted) return Promise.reject(cancelled())
  const worker = startWorker(warm ? { input, params, warm } : { input, params })
  return workerOutcome<TrainedHead, FromWorker>(
    worker,
    'training worker',
    (msg: FromWorker) => {
      if (msg.type === 'progress') {
        hooks.onProgress?.(msg.progress)
        return undefined
      }
      if (msg.type === 'done') return { value: msg.head }
      return { error: msg.code ? new TrainingError(msg.code as TrainingError['code'], msg.message) : new Error(msg.message) }
    },
    hooks.signal,
    cancelled
  )
}

function startWorker(job: WorkerJob): Worker {
  return startModuleWorker(import.meta.url, job)
}

if (!isMainThread && parentPort && (workerData as WorkerJob | undefined)?.input) {
  const port = parentPort
  const job = workerData as WorkerJob
  trainHead(job.input, job.params, { onProgress: (progress) => port.postMessage({ type: 'progress', progress } satisfies FromWorker) }, job.warm)
    .then((head) => port.postMessage({ type: 'done', head } satisfies FromWorker))
    .catch((err: unknown) =>
      port.postMessage({
        type: 'error',
        code: err instanceof TrainingError ? err.code : undefined,
        message: err instanceof Error ? err.message : String(err)
      } satisfies FromWorker)
    )
}
