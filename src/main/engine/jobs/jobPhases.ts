// One bar per job: each kind's phases are consecutive steps of it, weighted by their usual share of the
// time, so a job that moves from embedding to predicting (or from fitting to refitting) carries on from
// where its bar stands instead of restarting at 0 %. The shares are rough; the bar only has to move
// forward and reach the end when the job does.
import type { JobProgress } from '../../../shared/domain.ts'

type Kind = JobProgress['kind']
type Phase = NonNullable<JobProgress['phase']>

const PLANS: Readonly<Record<Kind, readonly (readonly [Phase, number])[]>> = {
  import: [['import', 1]],
  // 'index' is the older name of the embedding step after an import.
  index: [['embedding', 85], ['index', 0], ['duplicates', 5], ['predicting', 10]],
  // Training it-service's 38,270 tickets in a 47,837-ticket store, vectors already there (bench:update's
  // train_stages): features 8 %, fit 45 %, calibrate 4 %, refit 11 %, predicting every ticket 27 %. The
  // embedding step is 0 s then and minutes on a fresh import; 15 is a middle.
  train: [['embedding', 15], ['features', 8], ['fit', 45], ['calibrate', 4], ['refit', 11], ['predicting', 27], ['done', 0]],
  // An install reports its own overall percent over its three passes.
  install: [['verify', 1], ['copy', 0], ['test', 0]],
  predict: [['predicting', 1]],
  sync: [['pulling', 1]]
}

/**
 * Where a job stands on its one bar (0–1) when it is `fraction` (0–1) through `phase`; null for a phase
 * its kind does not plan (the bar then stays where it was).
 */
export function overallFraction(kind: Kind, phase: Phase | undefined, fraction: number): number | null {
  const plan = PLANS[kind]
  const at = phase === undefined ? 0 : plan.findIndex(([p]) => p === phase)
  if (at < 0) return null
  if (phase === 'done') return 1
  const total = plan.reduce((sum, [, w]) => sum + w, 0)
  const before = plan.slice(0, at).reduce((sum, [, w]) => sum + w, 0)
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0))
  return (before + plan[at]![1] * f) / total
}

/** Keeps a job's bar monotonic: a phase that reports less than the bar already shows cannot move it back. */
export class MonotonicBar {
  private shown = 0
  advance(next: number | null): number {
    if (next !== null && next > this.shown) this.shown = Math.min(1, next)
    return this.shown
  }
}
