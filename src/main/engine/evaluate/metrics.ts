// Every quality number a user sees (accuracy, F1, calibration, coverage) comes from here.
// Inputs are class indices: `truth[i]`, `predicted[i]` in [0, classes.length), `confidence[i]` in [0, 1].

export interface ClassMetrics {
  label: string
  precision: number
  recall: number
  f1: number
  support: number
  predicted: number
}

export interface ReliabilityBin {
  lower: number
  upper: number
  count: number
  meanConfidence: number
  accuracy: number
}

export interface CoverageAtPrecision {
  target: number
  /** Lowest confidence threshold (0.00…0.99 sweep) that keeps precision ≥ target; null if none does. */
  threshold: number | null
  coverage: number
  precision: number
}

export interface CurvePoint {
  threshold: number
  coverage: number
  precision: number
}

function check(truth: readonly number[], predicted: readonly number[], confidence?: ArrayLike<number>): void {
  if (truth.length !== predicted.length || (confidence && confidence.length !== truth.length)) {
    throw new Error(`metrics: length mismatch (truth ${truth.length}, predicted ${predicted.length}, confidence ${confidence?.length ?? '-'})`)
  }
}

export function accuracy(truth: readonly number[], predicted: readonly number[]): number {
  check(truth, predicted)
  if (truth.length === 0) return 0
  let ok = 0
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) ok++
  return ok / truth.length
}

/** confusion[t][p] = number of items of true class t predicted as p. */
export function confusionMatrix(truth: readonly number[], predicted: readonly number[], classCount: number): number[][] {
  check(truth, predicted)
  const m = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0))
  for (let i = 0; i < truth.length; i++) {
    const row = m[truth[i]!]
    if (!row || predicted[i]! < 0 || predicted[i]! >= classCount) throw new Error(`metrics: class index out of range at item ${i}`)
    row[predicted[i]!]!++
  }
  return m
}

/**
 * Per-class precision/recall/F1. A class never predicted has precision 0 and one never present has
 * recall 0 (scikit-learn's zero_division=0), so empty classes pull macro-F1 down rather than vanish.
 */
export function perClassMetrics(truth: readonly number[], predicted: readonly number[], classes: readonly string[]): ClassMetrics[] {
  const m = confusionMatrix(truth, predicted, classes.length)
  return classes.map((label, c) => {
    const tp = m[c]![c]!
    const support = m[c]!.reduce((a, b) => a + b, 0)
    const predictedCount = m.reduce((a, row) => a + row[c]!, 0)
    const precision = predictedCount > 0 ? tp / predictedCount : 0
    const recall = support > 0 ? tp / support : 0
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0
    return { label, precision, recall, f1, support, predicted: predictedCount }
  })
}

/**
 * Macro-F1 averages over classes present in the truth or the predictions (scikit-learn's default
 * `labels` = union of both): a class absent from both says nothing about this test set.
 */
export function macroF1(perClass: readonly ClassMetrics[]): number {
  const seen = perClass.filter((c) => c.support > 0 || c.predicted > 0)
  return seen.length ? seen.reduce((a, c) => a + c.f1, 0) / seen.length : 0
}

export function weightedF1(perClass: readonly ClassMetrics[]): number {
  const total = perClass.reduce((a, c) => a + c.support, 0)
  return total ? perClass.reduce((a, c) => a + c.f1 * c.support, 0) / total : 0
}

/** Share of items whose true class is among the k most probable; ties broken by lower class index. */
export function topKAccuracy(truth: readonly number[], probabilities: ArrayLike<number>, classCount: number, k: number): number {
  if (truth.length === 0) return 0
  let hit = 0
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!
    const pt = probabilities[i * classCount + t]!
    let better = 0
    for (let c = 0; c < classCount; c++) {
      const p = probabilities[i * classCount + c]!
      if (p > pt || (p === pt && c < t)) better++
    }
    if (better < k) hit++
  }
  return hit / truth.length
}

/** Equal-width bins over [0, 1]; a confidence of exactly 1 falls in the last bin. */
export function reliabilityBins(correct: readonly boolean[], confidence: ArrayLike<number>, binCount = 15): ReliabilityBin[] {
  const bins = Array.from({ length: binCount }, (_, b) => ({ lower: b / binCount, upper: (b + 1) / binCount, count: 0, conf: 0, ok: 0 }))
  for (let i = 0; i < correct.length; i++) {
    const c = confidence[i]!
    const bin = bins[Math.min(binCount - 1, Math.max(0, Math.floor(c * binCount)))]!
    bin.count++
    bin.conf += c
    if (correct[i]) bin.ok++
  }
  return bins.map((b) => ({
    lower: b.lower,
    upper: b.upper,
    count: b.count,
    meanConfidence: b.count ? b.conf / b.count : 0,
    accuracy: b.count ? b.ok / b.count : 0
  }))
}

/** Expected calibration error: the count-weighted gap between confidence and accuracy per bin. */
export function expectedCalibrationError(correct: readonly boolean[], confidence: ArrayLike<number>, binCount = 15): number {
  const n = correct.length
  if (n === 0) return 0
  return reliabilityBins(correct, confidence, binCount).reduce((a, b) => a + (b.count / n) * Math.abs(b.accuracy - b.meanConfidence), 0)
}

export function meanConfidence(confidence: ArrayLike<number>): number {
  if (confidence.length === 0) return 0
  let s = 0
  for (let i = 0; i < confidence.length; i++) s += confidence[i]!
  return s / confidence.length
}

/**
 * Confidences are float32 (0.47 is stored as 0.4699999988), thresholds are decimal: compare with a
 * float32-sized tolerance so a confidence printed as 0.47 passes a 0.47 threshold.
 */
export function meetsThreshold(confidence: number, threshold: number): boolean {
  return confidence >= threshold - 1e-6
}

/** Precision and coverage when only items with confidence ≥ t are auto-accepted, t = 0.00 … 0.99. */
export function precisionCoverageCurve(correct: readonly boolean[], confidence: ArrayLike<number>): CurvePoint[] {
  const n = correct.length
  const points: CurvePoint[] = []
  for (let step = 0; step < 100; step++) {
    const threshold = step / 100
    let kept = 0
    let ok = 0
    for (let i = 0; i < n; i++) {
      if (meetsThreshold(confidence[i]!, threshold)) {
        kept++
        if (correct[i]) ok++
      }
    }
    points.push({ threshold, coverage: n ? kept / n : 0, precision: kept ? ok / kept : 0 })
  }
  return points
}

/** The largest coverage on the threshold sweep whose precision reaches the target. */
export function coverageAtPrecision(correct: readonly boolean[], confidence: ArrayLike<number>, target: number): CoverageAtPrecision {
  let best: CoverageAtPrecision = { target, threshold: null, coverage: 0, precision: 0 }
  for (const p of precisionCoverageCurve(correct, confidence)) {
    if (p.coverage > 0 && p.precision >= target && p.coverage > best.coverage) best = { target, ...p }
  }
  return best
}

export interface EvaluationReport {
  accuracy: number
  macroF1: number
  weightedF1: number
  perClass: ClassMetrics[]
  confusion: number[][]
  top3Accuracy: number
  ece: number
  reliability: ReliabilityBin[]
  meanConfidence: number
  coverageAtPrecision: Record<string, CoverageAtPrecision>
  curve: CurvePoint[]
}

/** The class with the highest score in row `r` of a row-major n × C matrix (the first one on a tie). */
export function rowArgmax(scores: ArrayLike<number>, r: number, C: number): number {
  let best = 0
  for (let c = 1; c < C; c++) if (scores[r * C + c]! > scores[r * C + best]!) best = c
  return best
}

/** All metrics for one test set from its calibrated probabilities (row-major n × classes). */
export function evaluatePredictions(truth: readonly number[], probabilities: ArrayLike<number>, classes: readonly string[]): EvaluationReport {
  const C = classes.length
  const predicted: number[] = []
  const confidence: number[] = []
  for (let i = 0; i < truth.length; i++) {
    const best = rowArgmax(probabilities, i, C)
    predicted.push(best)
    confidence.push(probabilities[i * C + best]!)
  }
  const correct = truth.map((t, i) => t === predicted[i])
  const perClass = perClassMetrics(truth, predicted, classes)
  return {
    accuracy: accuracy(truth, predicted),
    macroF1: macroF1(perClass),
    weightedF1: weightedF1(perClass),
    perClass,
    confusion: confusionMatrix(truth, predicted, C),
    top3Accuracy: topKAccuracy(truth, probabilities, C, 3),
    ece: expectedCalibrationError(correct, confidence),
    reliability: reliabilityBins(correct, confidence),
    meanConfidence: meanConfidence(confidence),
    coverageAtPrecision: Object.fromEntries([0.8, 0.9, 0.95].map((t) => [t.toFixed(2), coverageAtPrecision(correct, confidence, t)])),
    curve: precisionCoverageCurve(correct, confidence)
  }
}
