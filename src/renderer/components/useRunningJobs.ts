// The kinds of engine job running now, read from the job tray's record (one source for the whole window).
import { useMemo } from 'react'
import type { JobProgress } from '../../shared/domain.ts'
import { useJobTray } from './useJobTray.ts'

export function useRunningJobs(): ReadonlySet<JobProgress['kind']> {
  const { jobs } = useJobTray()
  return useMemo(() => new Set(jobs.map((j) => j.progress.kind)), [jobs])
}
