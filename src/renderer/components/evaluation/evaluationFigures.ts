// The numbers the Evaluation page shows, formatted and derived in one tested place: headline figures,
// row-normalised confusion shares, a threshold's point on the precision–coverage curve, table sorting.
import type { ClassFigures, CurveFigure, EvaluationReportView } from '../../../shared/evaluation.ts'
import { percent, threeDecimals } from '../modelMetrics.ts'
import type { ReviewAccuracyWeek } from '../../../shared/evaluation.ts'

export { percent, threeDecimals }

export interface Headline {
  readonly name: string
  readonly value: string
  /** The unrounded figure, kept on the card so a test (or a lead copying it) gets every digit. */
  readonly raw: number | null
  readonly hint: string
}

/** The entry of `coverageAtPrecision` for a target precision, whatever digits the engine keyed it with. */
export function coverageAt(report: EvaluationReportView, precision: number): { readonly threshold: number | null; readonly coverage: number; readonly precision: number } | null {
  for (const [key, value] of Object.entries(report.coverageAtPrecision)) {
    if (Math.abs(Number(key) - precision) < 1e-9) return value
  }
  return null
}

export const HEADLINE_NAMES = ['Accuracy', 'Macro-F1', 'Weighted-F1', 'Calibration error (ECE)', 'Coverage at 90% precision', 'Top-3 accuracy'] as const

export function headlines(report: EvaluationReportView): Headline[] {
  const at90 = coverageAt(report, 0.9)
  return [
    { name: 'Accuracy', value: percent(report.accuracy), raw: report.accuracy, hint: 'share of tickets whose predicted label is the recorded one' },
    { name: 'Macro-F1', value: threeDecimals(report.macroF1), raw: report.macroF1, hint: 'F1 averaged over labels, each label counting the same' },
    { name: 'Weighted-F1', value: threeDecimals(report.weightedF1), raw: report.weightedF1, hint: 'F1 averaged over labels, weighted by tickets' },
    { name: 'Calibration error (ECE)', value: report.ece === null ? '—' : threeDecimals(report.ece), raw: report.ece, hint: 'gap between confidence and accuracy; lower is better' },
    {
      name: 'Coverage at 90% precision',
      value: at90 ? percent(at90.coverage) : '—',
      raw: at90?.coverage ?? null,
      hint: at90?.threshold != null ? `routed without review above ${at90.threshold.toFixed(2)} confidence` : 'no threshold reaches 90% precision'
    },
    { name: 'Top-3 accuracy', value: report.top3 === null ? '—' : percent(report.top3), raw: report.top3, hint: 'recorded label among the three most likely' }
  ]
}

/** confusion[truth][predicted] as shares of each truth row (0 for an empty row). */
export function rowShares(confusion: readonly (readonly number[])[]): number[][] {
  return confusion.map((row) => {
    const total = row.reduce((s, x) => s + x, 0)
    return row.map((x) => (total === 0 ? 0 : x / total))
  })
}

/** The accessible name of a confusion cell, e.g. "Hardware predicted as Access: 12". */
export function cellName(truth: string, predicted: string, count: number): string {
  return `${truth} predicted as ${predicted}: ${count}`
}

/** The curve's point for a threshold: the sweep step at or just below it (the sweep is 0.00 … 0.99). */
export function curvePointAt(curve: readonly CurveFigure[], threshold: number): CurveFigure | null {
  let best: CurveFigure | null = null
  for (const point of curve) {
    if (point.threshold <= threshold + 1e-9 && (best === null || point.threshold > best.threshold)) best = point
  }
  return best ?? curve[0] ?? null
}

/** A queue threshold; above 1 the engine never routes the queue without review. */
export function formatThreshold(threshold: number): string {
  return threshold > 1 ? 'never' : threshold.toFixed(2)
}

export type ClassSortKey = 'label' | 'precision' | 'recall' | 'f1' | 'support' | 'routedPrecision' | 'routedCoverage' | 'threshold'

export function sortClasses(rows: readonly ClassFigures[], key: ClassSortKey, dir: 'asc' | 'desc'): ClassFigures[] {
  const sign = dir === 'asc' ? 1 : -1
  return [...rows].sort((a, b) => {
    const order = key === 'label' ? a.label.localeCompare(b.label) : a[key] - b[key]
    return order === 0 ? a.label.localeCompare(b.label) : sign * order
  })
}

/**
 * Fewer reviews than this in a week make its accuracy noise (at 20, one standard error is up to ±11 points),
 * so such weeks are not drawn; their reviews still count in the total.
 */
export const MIN_REVIEWS_PER_WEEK = 20

export function measurableWeeks(weeks: readonly ReviewAccuracyWeek[]): { shown: ReviewAccuracyWeek[]; hidden: number; reviewed: number } {
  const shown = weeks.filter((w) => w.reviewed >= MIN_REVIEWS_PER_WEEK)
  return { shown, hidden: weeks.length - shown.length, reviewed: weeks.reduce((sum, w) => sum + w.reviewed, 0) }
}

/**
 * Where the "in use" marker's label goes on the precision–coverage chart so that it stays inside the plot:
 * routing most tickets puts the marker at the right edge, where a label on its right was clipped.
 */
export function markerLabelSide(point: { coverage: number }): 'left' | 'right' {
  return point.coverage > 0.7 ? 'left' : 'right'
}
