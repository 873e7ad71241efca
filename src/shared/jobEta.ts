// The time a job has left, from how fast its one bar (0–1) has moved lately. Shown only once it means
// something: a few seconds in and a little progress made, else the first batch's warm-up (loading a model,
// reading a file) would promise minutes that never come, or seconds that stretch to hours.

export interface BarSample {
  /** Milliseconds (any monotonic clock). */
  readonly at: number
  readonly overall: number
}

/** No estimate before the job has run this long... */
export const ETA_AFTER_MS = 3000
/** ...or before its bar has moved this far. */
export const ETA_AFTER_FRACTION = 0.02
/** The rate is the bar's over about this long, so a job whose later phases run faster is followed soon. */
export const RATE_WINDOW_MS = 30_000

/** Appends a sample, keeping the first one (the start) and those inside the rate window. */
export function addSample(samples: readonly BarSample[], sample: BarSample): BarSample[] {
  const first = samples[0]
  if (!first) return [sample]
  const recent = samples.slice(1).filter((s) => s.at >= sample.at - 2 * RATE_WINDOW_MS)
  return [first, ...recent, sample]
}

/** Seconds left at `now`, or null while no honest estimate can be made. */
export function secondsLeft(samples: readonly BarSample[], now: number): number | null {
  const first = samples[0]
  const last = samples[samples.length - 1]
  if (!first || !last || samples.length < 2) return null
  if (last.overall >= 1) return 0
  if (now - first.at < ETA_AFTER_MS || last.overall - first.overall < ETA_AFTER_FRACTION) return null
  // The oldest sample inside the window (or the one just before it), so the rate spans real progress.
  let ref = first
  for (const s of samples) {
    if (s.at >= last.at - RATE_WINDOW_MS) break
    ref = s
  }
  const perMs = (last.overall - ref.overall) / Math.max(1, last.at - ref.at)
  if (perMs <= 0) return null
  const left = (1 - last.overall) / perMs - (now - last.at)
  return Math.max(0, left / 1000)
}

/** "about 2 min left", "about 40 s left"; null when there is no estimate. */
export function timeLeftWords(seconds: number | null): string | null {
  if (seconds === null) return null
  if (seconds < 10) return 'a few seconds left'
  if (seconds < 60) return `about ${Math.round(seconds / 10) * 10} s left`
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`
  const hours = Math.floor(seconds / 3600)
  return `about ${hours} h ${Math.round((seconds - hours * 3600) / 60)} min left`
}
