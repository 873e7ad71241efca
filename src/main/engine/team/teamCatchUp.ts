// A large catch-up shows as a job: a sync round with more than one batch to pull (a desktop back from a
// week offline, or joining a team with 100,000 tickets) starts a 'sync' job that reports "pulling n of
// about N" through the usual job events, so the job tray shows it like an import. Small rounds, the
// many a day that bring a decision or two, stay out of the tray.
import type { TeamSyncResult } from '../../../shared/team.ts'
import type { JobContext, JobRegistry } from '../jobs/jobRegistry.ts'

export interface CatchUp {
  /** For SyncOptions.onPull. */
  onPull(pulled: number, about: number): void
  /** The round ended: the job (if one was started) ends with it. */
  settle(result: TeamSyncResult | undefined, error?: unknown): void
}

export function catchUpProgress(jobs: JobRegistry, minRows = 2000): CatchUp {
  let ctx: JobContext | undefined
  let started = false
  let last: { pulled: number; about: number } = { pulled: 0, about: 0 }
  let finish: { resolve(r: TeamSyncResult): void; reject(e: unknown): void } | undefined
  const startedAt = Date.now()

  const report = (): void => {
    const { pulled, about } = last
    const seconds = (Date.now() - startedAt) / 1000
    ctx?.progress({
      phase: 'pulling',
      rows: pulled,
      total: about,
      rowsPerSec: seconds > 0 ? Math.round(pulled / seconds) : 0,
      percent: Math.round((pulled / Math.max(1, about)) * 1000) / 10
    })
  }

  return {
    onPull(pulled, about) {
      last = { pulled, about }
      if (!started && about > minRows) {
        started = true
        const ended = new Promise<TeamSyncResult>((resolve, reject) => (finish = { resolve, reject }))
        jobs.start('sync', (c) => {
          ctx = c
          report()
          return ended
        })
      }
      report()
    },
    settle(result, error) {
      if (!finish) return
      if (result) finish.resolve(result)
      else finish.reject(error)
    }
  }
}
