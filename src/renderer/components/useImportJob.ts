// Follows one import job through its events. Events are matched by jobId and remembered even when
// they arrive before import.start has answered, so a tiny file that finishes at once is not missed.
import { useCallback, useRef, useState } from 'react'
import type { EventMap, Params } from '../../shared/contract.ts'
import type { ImportSummary, JobProgress } from '../../shared/domain.ts'
import { describeError } from '../api/describeError.ts'
import { useEngineEvent, useTriage } from '../api/TriageContext.tsx'

export type ImportJobState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'starting' }
  | { readonly phase: 'running'; readonly jobId: string; readonly progress: JobProgress | null; readonly cancelling: boolean }
  | { readonly phase: 'done'; readonly summary: ImportSummary }
  | { readonly phase: 'failed'; readonly message: string }

type Outcome = { readonly done: Extract<EventMap['job.done'], { kind: 'import' }> } | { readonly failed: EventMap['job.failed'] }

export function useImportJob() {
  const api = useTriage()
  const [state, setState] = useState<ImportJobState>({ phase: 'idle' })
  const currentJob = useRef<string | null>(null)
  const early = useRef(new Map<string, Outcome | JobProgress>())

  const finish = useCallback((outcome: Outcome) => {
    currentJob.current = null
    if ('done' in outcome) setState({ phase: 'done', summary: outcome.done.result })
    else setState({ phase: 'failed', message: outcome.failed.error.message })
  }, [])

  useEngineEvent('job.progress', (progress) => {
    if (progress.kind !== 'import') return
    if (progress.jobId === currentJob.current) {
      setState((s) => (s.phase === 'running' && s.jobId === progress.jobId ? { ...s, progress } : s))
    } else if (!early.current.has(progress.jobId)) early.current.set(progress.jobId, progress)
  })
  useEngineEvent('job.done', (done) => {
    if (done.kind !== 'import') return
    if (done.jobId === currentJob.current) finish({ done })
    else early.current.set(done.jobId, { done })
  })
  useEngineEvent('job.failed', (failed) => {
    if (failed.kind !== 'import') return
    if (failed.jobId === currentJob.current) finish({ failed })
    else early.current.set(failed.jobId, { failed })
  })

  const start = useCallback(
    async (params: Params<'import.start'>) => {
      setState({ phase: 'starting' })
      try {
        const { jobId } = await api.request('import.start', params)
        const seen = early.current.get(jobId)
        early.current.clear()
        if (seen && ('done' in seen || 'failed' in seen)) {
          finish(seen)
          return
        }
        currentJob.current = jobId
        setState({ phase: 'running', jobId, progress: seen ?? null, cancelling: false })
      } catch (err) {
        setState({ phase: 'failed', message: describeError(err) })
      }
    },
    [api, finish]
  )

  const cancel = useCallback(async () => {
    const jobId = currentJob.current
    if (!jobId) return
    setState((s) => (s.phase === 'running' ? { ...s, cancelling: true } : s))
    // The job still ends with job.done (status "cancelled") carrying the rows imported so far.
    await api.request('job.cancel', { jobId }).catch(() => undefined)
  }, [api])

  const reset = useCallback(() => {
    currentJob.current = null
    setState({ phase: 'idle' })
  }, [])

  return { state, start, cancel, reset }
}
