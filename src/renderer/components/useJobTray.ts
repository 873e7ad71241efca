// Every job the engine runs, from its events: what it is doing, its one bar, and its samples for the
// time-left estimate. A job is listed from its first progress event until it is done, failed or cancelled.
// The window keeps one record (JobTrayProvider): the tray, the status bar and the training notices read it,
// so they never disagree about what is running.
import { createContext, useCallback, useContext, useMemo, useState } from 'react'
import type { JobProgress } from '../../shared/domain.ts'
import { useEngineEvent, useTriage } from '../api/TriageContext.tsx'
import { describeError } from '../api/describeError.ts'
import { addSample, type BarSample } from '../../shared/jobEta.ts'

export interface TrayJob {
  readonly progress: JobProgress
  /** 0–1; never lower than before. */
  readonly overall: number
  readonly samples: readonly BarSample[]
  readonly cancelling: boolean
  readonly cancelError: string | null
}

export interface JobTray {
  readonly jobs: readonly TrayJob[]
  cancel(jobId: string): void
}

/** The tray's state after one progress event at `at` ms. */
export function withProgress(jobs: ReadonlyMap<string, TrayJob>, p: JobProgress, at: number): Map<string, TrayJob> {
  const old = jobs.get(p.jobId)
  const overall = Math.max(old?.overall ?? 0, Math.min(1, p.overall ?? 0))
  const next = new Map(jobs)
  next.set(p.jobId, {
    progress: p,
    overall,
    samples: addSample(old?.samples ?? [], { at, overall }),
    cancelling: old?.cancelling ?? false,
    cancelError: old?.cancelError ?? null
  })
  return next
}

export const JobTrayContext = createContext<JobTray | null>(null)

/** The window's record of running jobs (kept by JobTrayProvider). */
export function useJobTray(): JobTray {
  const tray = useContext(JobTrayContext)
  if (!tray) throw new Error('useJobTray outside <JobTrayProvider>')
  return tray
}

/** Follows the engine's job events: call once per window, in JobTrayProvider. */
export function useEngineJobs(): JobTray {
  const api = useTriage()
  const [jobs, setJobs] = useState<ReadonlyMap<string, TrayJob>>(new Map())
  useEngineEvent('job.progress', (p) => setJobs((now) => withProgress(now, p, Date.now())))
  const end = (jobId: string): void =>
    setJobs((now) => {
      if (!now.has(jobId)) return now
      const next = new Map(now)
      next.delete(jobId)
      return next
    })
  useEngineEvent('job.done', (d) => end(d.jobId))
  useEngineEvent('job.failed', (f) => end(f.jobId))
  // A restarted engine forgot its jobs.
  useEngineEvent('engine.restarted', () => setJobs(new Map()))

  const patch = (jobId: string, change: Partial<TrayJob>): void =>
    setJobs((now) => {
      const job = now.get(jobId)
      return job ? new Map(now).set(jobId, { ...job, ...change }) : now
    })
  const cancel = useCallback(
    (jobId: string) => {
      patch(jobId, { cancelling: true, cancelError: null })
      // The job leaves the tray on its own done/failed event, after it has really stopped.
      api.request('job.cancel', { jobId }).catch((err: unknown) => patch(jobId, { cancelling: false, cancelError: describeError(err) }))
    },
    [api]
  )
  // A stable value while nothing changed, so readers of the context render only on a change.
  return useMemo(() => ({ jobs: [...jobs.values()], cancel }), [jobs, cancel])
}
