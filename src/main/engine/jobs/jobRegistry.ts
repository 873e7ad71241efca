// Long work runs as jobs: each has an id, pushes progress events, and can be cancelled.
import { randomUUID } from 'node:crypto'
import type { EventMap, JobDone, JobKind, JobResults } from '../../../shared/contract.ts'
import type { JobProgress } from '../../../shared/domain.ts'
import { toErrorShape } from '../../../shared/errors.ts'
import { MonotonicBar, overallFraction } from './jobPhases.ts'

type Emit = <E extends keyof EventMap>(event: E, payload: EventMap[E]) => void

export interface JobContext {
  readonly jobId: string
  readonly signal: AbortSignal
  /** `percent` is through the current phase; `overall` (0–1), when given, overrides the phase plan's bar. */
  progress(p: Omit<JobProgress, 'jobId' | 'kind'>): void
}

export class JobRegistry {
  private readonly running = new Map<string, AbortController>()

  constructor(private readonly emit: Emit) {}

  start<K extends JobKind>(kind: K, work: (ctx: JobContext) => Promise<JobResults[K]>): string {
    const jobId = randomUUID()
    const controller = new AbortController()
    this.running.set(jobId, controller)
    const bar = new MonotonicBar()
    const ctx: JobContext = {
      jobId,
      signal: controller.signal,
      progress: (p) => {
        const overall = bar.advance(p.overall ?? overallFraction(kind, p.phase, p.percent / 100))
        this.emit('job.progress', { jobId, kind, ...p, overall })
      }
    }
    // Started on the next tick so the caller has the id before the first event.
    setImmediate(() => {
      work(ctx)
        // The generic K ties kind to its result; TypeScript cannot follow that into the union, hence the cast.
        .then((result) => this.emit('job.done', { jobId, kind, result } as JobDone))
        .catch((err: unknown) => this.emit('job.failed', { jobId, kind, error: toErrorShape(err) }))
        .finally(() => this.running.delete(jobId))
    })
    return jobId
  }

  cancel(jobId: string): boolean {
    const c = this.running.get(jobId)
    if (!c) return false
    c.abort()
    return true
  }

  /** Asks every running job to stop (on engine close); each stops at its next batch boundary. */
  cancelAll(): void {
    for (const c of this.running.values()) c.abort()
  }

  get active(): number {
    return this.running.size
  }
}
