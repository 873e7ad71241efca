// Waiting for what an engine announces (a job ending, an index run finishing), for tests and scripts that
// drive the engine in-process. Call before the request that causes the event, so it cannot be missed.
import type { WireEvent } from '../../../shared/contract.ts'
import type { Engine } from './engine.ts'

export function nextEvent(engine: Engine, match: (e: WireEvent) => boolean): Promise<WireEvent> {
  return new Promise((resolve) => {
    const off = engine.onEvent((e) => {
      if (match(e)) {
        off()
        resolve(e)
      }
    })
  })
}

const isEnd = (e: WireEvent): boolean => e.event === 'job.done' || e.event === 'job.failed'

/** The end (done or failed) of the job with this id. */
export const jobEnded = (jobId: string) => (e: WireEvent): boolean => isEnd(e) && (e.payload as { jobId?: string }).jobId === jobId

/** The end (done or failed) of the next job of this kind. */
export const kindEnded = (kind: string) => (e: WireEvent): boolean => isEnd(e) && (e.payload as { kind?: string }).kind === kind

/** An index job that finished (after an import, a model change, or `similar.index`). */
export const indexDone = (e: WireEvent): boolean => e.event === 'job.done' && (e.payload as { kind?: string }).kind === 'index'
