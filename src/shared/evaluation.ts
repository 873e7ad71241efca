// What the evaluation dashboard shows. Every figure is computed by the engine's metrics module, the same
// one `triage eval` prints from, so the UI and the CLI agree to the last digit on the same data.
export type EvaluationSource = 'holdout' | 'reviews'

export interface ClassFigures {
  readonly label: string
  readonly precision: number
  readonly recall: number
  readonly f1: number
  readonly support: number
  readonly predicted: number
  /** At the model's current thresholds: precision and share of this queue's predictions routed without review. */
  readonly routedPrecision: number
  readonly routedCoverage: number
  readonly threshold: number
}

export interface ReliabilityFigure {
  readonly lower: number
  readonly upper: number
  readonly count: number
  readonly meanConfidence: number
  readonly accuracy: number
}

export interface CurveFigure {
  readonly threshold: number
  readonly coverage: number
  readonly precision: number
}

export interface EvaluationReportView {
  readonly source: EvaluationSource
  /** In words: which tickets these figures are about, e.g. "482 held-out tickets of queue v3". */
  readonly description: string
  readonly target: string
  readonly modelId: number
  readonly modelVersion: number
  readonly n: number
  readonly classes: readonly string[]
  readonly accuracy: number
  readonly macroF1: number
  readonly weightedF1: number
  readonly top1: number
  readonly top2: number | null
  readonly top3: number | null
  readonly ece: number | null
  readonly meanConfidence: number | null
  readonly perClass: readonly ClassFigures[]
  /** confusion[truth][predicted] counts. */
  readonly confusion: readonly (readonly number[])[]
  readonly reliability: readonly ReliabilityFigure[]
  readonly curve: readonly CurveFigure[]
  /** The global threshold in use, for marking the curve. */
  readonly threshold: number
  /** Share of these tickets below their predicted queue's threshold: what would go to review. */
  readonly reviewRate: number
  readonly coverageAtPrecision: Readonly<Record<string, { readonly threshold: number | null; readonly coverage: number; readonly precision: number }>>
}

export interface DriftPeriod {
  /** ISO date of the period's first day (weeks start on Monday, UTC). */
  readonly start: string
  readonly tickets: number
  /** Null for a period too small to compare (fewer than 20 tickets). */
  readonly psi: number | null
  readonly jsDistance: number | null
  readonly band: 'stable' | 'moderate' | 'significant' | null
  readonly distribution: Readonly<Record<string, number>>
}

export interface DriftView {
  readonly target: string
  readonly modelId: number
  /** The distribution every period is compared with: the model's training labels. */
  readonly reference: Readonly<Record<string, number>>
  readonly periods: readonly DriftPeriod[]
  /** Tickets without a created date are not in any period. */
  readonly undated: number
}

export interface ReviewAccuracyWeek {
  readonly start: string
  readonly reviewed: number
  readonly accuracy: number
}

export interface ConfusionCellTickets {
  readonly total: number
  readonly tickets: readonly { readonly id: number; readonly externalId: string; readonly subject: string; readonly snippet: string; readonly confidence: number }[]
}
