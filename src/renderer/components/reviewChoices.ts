// The numbered choices of a review: the model's ranked candidates first (with their probability), then
// the target's other labels by frequency, up to nine so that every choice has a digit key.
import type { ReviewItem } from '../../shared/review.ts'

export interface ReviewChoice {
  readonly key: number
  readonly label: string
  /** The model's probability, for ranked candidates only. */
  readonly p: number | null
}

export const MAX_CHOICES = 9

export function reviewChoices(item: Pick<ReviewItem, 'candidates' | 'predicted'>, allLabels: readonly string[]): ReviewChoice[] {
  const seen = new Set<string>()
  const labels: { label: string; p: number | null }[] = []
  const add = (label: string, p: number | null) => {
    if (seen.has(label) || labels.length >= MAX_CHOICES) return
    seen.add(label)
    labels.push({ label, p })
  }
  const ranked = [...item.candidates].sort((a, b) => b.p - a.p)
  if (!ranked.some((c) => c.label === item.predicted)) add(item.predicted, null)
  for (const c of ranked) add(c.label, c.p)
  for (const label of allLabels) add(label, null)
  return labels.map((l, i) => ({ key: i + 1, ...l }))
}

/** Labels whose name contains every word typed, case-insensitively, best (prefix) matches first. */
export function searchLabels(allLabels: readonly string[], query: string): string[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  const matches = allLabels.filter((label) => words.every((w) => label.toLowerCase().includes(w)))
  const first = words[0]
  if (!first) return matches
  return [...matches.filter((l) => l.toLowerCase().startsWith(first)), ...matches.filter((l) => !l.toLowerCase().startsWith(first))]
}

/** Decisions per minute since the session started; null before the first decision. */
export function pacePerMinute(decisions: number, startedAt: number, now: number): number | null {
  if (decisions <= 0) return null
  const minutes = Math.max(now - startedAt, 1_000) / 60_000
  return decisions / minutes
}

export function formatPace(pace: number | null): string {
  return pace === null ? '— tickets/min' : `${pace < 10 ? pace.toFixed(1) : Math.round(pace)} tickets/min`
}
