// How a prediction reads on screen: the confidence as a whole percentage, a band that never relies on
// colour alone, the runner-up labels, and whether the model disagrees with the recorded label.
import type { RankedLabel, TicketPrediction } from '../../shared/models.ts'

export type ConfidenceBand = 'high' | 'medium' | 'low'

/** 0.874 → "87%"; clamps, so a rounding error in the engine never shows 101%. */
export function confidencePercent(p: number): string {
  if (!Number.isFinite(p)) return '—'
  return `${Math.round(Math.max(0, Math.min(1, p)) * 100)}%`
}

/** Bands for the bar's pattern and its text; the thresholds are display-only (review flags come from the engine). */
export function confidenceBand(p: number): ConfidenceBand {
  if (p >= 0.8) return 'high'
  if (p >= 0.5) return 'medium'
  return 'low'
}

export const BAND_TEXT: Readonly<Record<ConfidenceBand, string>> = { high: 'high', medium: 'medium', low: 'low' }

/** The labels after the first, as "Billing 8%, Sales 3%" for a title or a screen reader. */
export function alternativesText(top: readonly RankedLabel[], predicted: string): string {
  const others = top.filter((t) => t.label !== predicted).slice(0, 2)
  return others.length === 0 ? 'no alternatives' : others.map((t) => `${t.label} ${confidencePercent(t.p)}`).join(', ')
}

/** True when there is a recorded label and the model predicts a different one. */
export function isMismatch(prediction: TicketPrediction | undefined, recorded: string | undefined): boolean {
  return prediction !== undefined && recorded !== undefined && recorded !== '' && prediction.label !== recorded
}

export function reviewReasonText(reason: TicketPrediction['reviewReason']): string {
  if (reason === 'low_confidence') return 'below threshold'
  if (reason === 'sample') return 'random sample'
  return ''
}
