// The numbers of a model comparison, formatted once and tested: accuracy, macro-F1, ECE (lower is
// better) and coverage at 90 % precision, new next to the previous head on the same held-out tickets.
import type { HeadMetrics } from '../../shared/models.ts'

export interface MetricRow {
  readonly name: string
  readonly current: string
  readonly previous: string
  /** 'better' | 'worse' | 'same' for the new model, or null without a previous one. */
  readonly change: 'better' | 'worse' | 'same' | null
}

const METRICS = [
  { key: 'accuracy', name: 'Held-out accuracy', format: percent, higherIsBetter: true },
  { key: 'macroF1', name: 'Macro-F1', format: threeDecimals, higherIsBetter: true },
  { key: 'ece', name: 'Calibration error (ECE)', format: threeDecimals, higherIsBetter: false },
  { key: 'coverageAt90', name: 'Coverage at 90% precision', format: percent, higherIsBetter: true }
] as const

export function percent(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—'
}

export function threeDecimals(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : '—'
}

export function metricRows(current: HeadMetrics, previous: HeadMetrics | null): MetricRow[] {
  return METRICS.map(({ key, name, format, higherIsBetter }) => {
    const now = current[key]
    const before = previous?.[key]
    let change: MetricRow['change'] = null
    if (before !== undefined) {
      // Differences below display precision are "same", so the word never contradicts the digits.
      const delta = Math.round((now - before) * 1000) / 1000
      change = delta === 0 ? 'same' : delta > 0 === higherIsBetter ? 'better' : 'worse'
    }
    return { name, current: format(now), previous: before === undefined ? '—' : format(before), change }
  })
}
