// Follows one training job through its events, like useImportJob: matched by jobId, and remembered when
// they arrive before model.train has answered.
import { useCallback, useRef, useState } from 'react'
import type { EventMap } from '../../shared/contract.ts'
import type { JobProgress } from '../../shared/domain.ts'
import type { TrainSummary } from '../../shared/models.ts'
import { describeError } from '../api/describeError.ts'
import { useEngineEvent, useTriage } from '../api/TriageContext.tsx'

export type TrainJobState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'starting' }
  | { readonly phase: 'running'; readonly jobId: string; readonly progress: JobProgress | null; readonly cancelling: boolean }
  | { readonly phase: 'done'; readonly summary: TrainSummary }
  | { readonly phase: 'failed'; readonly message: string }

type Outcome = { readonly done: TrainSummary } | { readonly failed: EventMap['job.failed'] }

export function useTrainJob() {
  const api = useTriage()
  const [state, setState] = useState<TrainJobState>({ phase: 'idle' })
  const currentJob = useRef<string | null>(null)
  const early = useRef(new Map<string, Outcome | JobProgress>())

  const finish = useCallback((outcome: Outcome) => {
    currentJob.current = null
    if ('done' in outcome) setState({ phase: 'done', summary: outcome.done })
    else setState({ phase: 'failed', message: outcome.failed.error.message })
  }, [])

  useEngineEvent('job.progress', (progress) => {
    if (progress.kind !== 'train') return
    if (progress.jobId === currentJob.current) {
      setState((s) => (s.phase === 'running' && s.jobId === progress.jobId ? { ...s, progress } : s))
    } else if (!early.current.has(progress.jobId)) early.current.set(progress.jobId, progress)
  })
  useEngineEvent('job.done', (done) => {
    if (done.kind !== 'train') return
    if (done.jobId === currentJob.current) finish({ done: done.result })
    else early.current.set(done.jobId, { done: done.result })
  })
  useEngineEvent('job.failed', (failed) => {
    if (failed.kind !== 'train') return
    if (failed.jobId === currentJob.current) finish({ failed })
    else early.current.set(failed.jobId, { failed })
  })

  const start = useCallback(
    async (target: string, embedder: string) => {
      setState({ phase: 'starting' })
      try {
        const { jobId } = await api.request('model.train', { target, embedder })
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
    try {
      await api.request('job.cancel', { jobId })
    } catch (err) {
      // The job may have ended meanwhile; its job.done or job.failed says how.
      setState((s) => (s.phase === 'running' ? { ...s, cancelling: false } : s))
      console.warn(describeError(err))
    }
  }, [api])

  return { state, start, cancel }
}
