// Review thresholds: a prediction is auto-accepted when its confidence reaches the threshold of its
// predicted queue. Thresholds come from a target precision on validation rows, with the coverage that buys.
import { coverageAtPrecision } from '../evaluate/metrics.ts'

export interface ReviewThresholds {
  targetPrecision: number
  global: number
  /** Validation share auto-accepted at the global threshold. */
  globalCoverage: number
  perClass: Record<string, { threshold: number; coverage: number }>
}

/** A queue needs this many validation predictions before it gets its own threshold. */
const MIN_CLASS_SAMPLES = 30

/**
 * When no threshold reaches the target precision, nothing is auto-accepted (threshold 1.01 > any
 * confidence): every ticket goes to review rather than being silently trusted.
 */
export function deriveThresholds(
  predicted: Int32Array,
  confidence: Float32Array,
  truth: Int32Array,
  classes: readonly string[],
  targetPrecision: number
): ReviewThresholds {
  const correct = Array.from(truth, (t, i) => t === predicted[i])
  const overall = coverageAtPrecision(correct, confidence, targetPrecision)
  const global = overall.threshold ?? 1.01
  const perClass: ReviewThresholds['perClass'] = {}
  classes.forEach((label, c) => {
    const rows: number[] = []
    predicted.forEach((p, i) => {
      if (p === c) rows.push(i)
    })
    if (rows.length < MIN_CLASS_SAMPLES) return
    const own = coverageAtPrecision(
      rows.map((i) => correct[i]!),
      Float32Array.from(rows, (i) => confidence[i]!),
      targetPrecision
    )
    perClass[label] = { threshold: own.threshold ?? 1.01, coverage: own.coverage }
  })
  return { targetPrecision, global, globalCoverage: overall.coverage, perClass }
}

export function thresholdFor(thresholds: ReviewThresholds, label: string): number {
  return thresholds.perClass[label]?.threshold ?? thresholds.global
}
