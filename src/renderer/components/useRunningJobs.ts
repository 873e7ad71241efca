// The kinds of engine job running now, from the engine's own events: a job is running from its first
// progress event until it is done or failed. (A job tray with phases and Cancel builds on this.)
import { useMemo, useState } from 'react'
import type { JobProgress } from '../../shared/domain.ts'
import { useEngineEvent } from '../api/TriageContext.tsx'

export function useRunningJobs(): ReadonlySet<JobProgress['kind']> {
  const [jobs, setJobs] = useState<ReadonlyMap<string, JobProgress['kind']>>(new Map())
  useEngineEvent('job.progress', (p) => setJobs((now) => (now.get(p.jobId) === p.kind ? now : new Map(now).set(p.jobId, p.kind))))
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
  return useMemo(() => new Set(jobs.values()), [jobs])
}
