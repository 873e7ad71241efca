// Waiting for what an engine announces (a job ending, an index run finishing), for tests and scripts that
// drive the engine in-process. Call before the request that causes the event, so it cannot be missed.
import type { WireEvent } from '../../../shared/contract.ts'
import type { IndexSummary } from '../../../shared/similar.ts'
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

/**
 * Imports a file and waits for its follow-on index job (vectors, near-duplicates, then predictions), returning
 * that job's summary; a failed follow-on (a model file another database overwrote, say) throws with its error.
 */
export async function importWithFollowUp(engine: Engine, path: string): Promise<IndexSummary> {
  const followUp = nextEvent(engine, kindEnded('index'))
  const { jobId } = await engine.call('import.start', { path })
  await nextEvent(engine, jobEnded(jobId))
  const end = await followUp
  const { error, result } = end.payload as { error?: { code: string; message: string }; result?: IndexSummary }
  if (error || !result) throw new Error(`the job after the import failed: ${error ? `${error.code} ${error.message}` : 'no result'}`)
  return result
}
