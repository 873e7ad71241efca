// Follows one engine job of a kind (import, train …) through its events. Events are matched by jobId and
// remembered even when they arrive before the starting request has answered, so a job that finishes at
// once is not missed.
import { useCallback, useRef, useState } from 'react'
import type { EventMap, JobKind, JobResults } from '../../shared/contract.ts'
import type { JobProgress } from '../../shared/domain.ts'
import { describeError } from '../api/describeError.ts'
import { useEngineEvent, useTriage } from '../api/TriageContext.tsx'

export type EngineJobState<R> =
  | { readonly phase: 'idle' }
  | { readonly phase: 'starting' }
  | { readonly phase: 'running'; readonly jobId: string; readonly progress: JobProgress | null; readonly cancelling: boolean }
  | { readonly phase: 'done'; readonly summary: R }
  | { readonly phase: 'failed'; readonly message: string }

export function useEngineJob<K extends JobKind, A extends unknown[]>(kind: K, request: (...args: A) => Promise<{ readonly jobId: string }>) {
  const api = useTriage()
  type Outcome = { readonly done: JobResults[K] } | { readonly failed: EventMap['job.failed'] }
  const [state, setState] = useState<EngineJobState<JobResults[K]>>({ phase: 'idle' })
  const currentJob = useRef<string | null>(null)
  const early = useRef(new Map<string, Outcome | JobProgress>())

  const finish = useCallback((outcome: Outcome) => {
    currentJob.current = null
    if ('done' in outcome) setState({ phase: 'done', summary: outcome.done })
    else setState({ phase: 'failed', message: outcome.failed.error.message })
  }, [])

  useEngineEvent('job.progress', (progress) => {
    if (progress.kind !== kind) return
    if (progress.jobId === currentJob.current) {
      setState((s) => (s.phase === 'running' && s.jobId === progress.jobId ? { ...s, progress } : s))
    } else if (!early.current.has(progress.jobId)) early.current.set(progress.jobId, progress)
  })
  useEngineEvent('job.done', (done) => {
    if (done.kind !== kind) return
    const outcome = { done: done.result as JobResults[K] }
    if (done.jobId === currentJob.current) finish(outcome)
    else early.current.set(done.jobId, outcome)
  })
  useEngineEvent('job.failed', (failed) => {
    if (failed.kind !== kind) return
    if (failed.jobId === currentJob.current) finish({ failed })
    else early.current.set(failed.jobId, { failed })
  })

  const start = useCallback(
    async (...args: A) => {
      setState({ phase: 'starting' })
      try {
        const { jobId } = await request(...args)
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
    [request, finish]
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

  const reset = useCallback(() => {
    currentJob.current = null
    setState({ phase: 'idle' })
  }, [])

  return { state, start, cancel, reset }
}
