import { describe, expect, it } from 'vitest'
import {
  accuracy,
  confusionMatrix,
  coverageAtPrecision,
  evaluatePredictions,
  expectedCalibrationError,
  macroF1,
  meanConfidence,
  perClassMetrics,
  precisionCoverageCurve,
  reliabilityBins,
  topKAccuracy,
  weightedF1
} from './metrics.ts'

// Worked by hand: classes a, b, c (c never occurs, never predicted).
//   truth     a a a b b
//   predicted a a b b a
// a: tp 2, predicted 3, support 3 → P 2/3, R 2/3, F1 2/3
// b: tp 1, predicted 2, support 2 → P 1/2, R 1/2, F1 1/2
const truth = [0, 0, 0, 1, 1]
const predicted = [0, 0, 1, 1, 0]
const classes = ['a', 'b', 'c']

describe('classification metrics', () => {
  it('accuracy, confusion matrix and per-class numbers match the hand count', () => {
    expect(accuracy(truth, predicted)).toBeCloseTo(3 / 5)
    expect(confusionMatrix(truth, predicted, 3)).toEqual([
      [2, 1, 0],
      [1, 1, 0],
      [0, 0, 0]
    ])
    const pc = perClassMetrics(truth, predicted, classes)
    expect(pc[0]).toMatchObject({ label: 'a', support: 3, predicted: 3 })
    expect(pc[0]!.f1).toBeCloseTo(2 / 3)
    expect(pc[1]!.precision).toBeCloseTo(0.5)
    expect(pc[2]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0 })
  })

  it('macro-F1 ignores a class absent from truth and predictions; weighted-F1 weights by support', () => {
    const pc = perClassMetrics(truth, predicted, classes)
    expect(macroF1(pc)).toBeCloseTo((2 / 3 + 1 / 2) / 2)
    expect(weightedF1(pc)).toBeCloseTo((3 * (2 / 3) + 2 * 0.5) / 5)
  })

  it('a class that is predicted but never true counts in macro-F1 with F1 0', () => {
    const pc = perClassMetrics([0, 0], [0, 1], ['a', 'b'])
    // a: P 1, R 1/2, F1 2/3; b: P 0, R 0 → macro (2/3 + 0) / 2
    expect(macroF1(pc)).toBeCloseTo(1 / 3)
  })

  it('one class and empty input do not divide by zero', () => {
    expect(accuracy([], [])).toBe(0)
    const pc = perClassMetrics([0, 0, 0], [0, 0, 0], ['only'])
    expect(pc[0]).toMatchObject({ precision: 1, recall: 1, f1: 1, support: 3 })
    expect(macroF1(pc)).toBe(1)
    expect(expectedCalibrationError([], [])).toBe(0)
    expect(meanConfidence([])).toBe(0)
  })

  it('top-k accuracy breaks ties by class order', () => {
    // row 0: truth 2, probs tie between 0 and 2 at 0.4 → class 0 ranks first, truth second.
    const probs = [0.4, 0.2, 0.4, 0.1, 0.7, 0.2]
    expect(topKAccuracy([2, 0], probs, 3, 1)).toBe(0)
    expect(topKAccuracy([2, 0], probs, 3, 2)).toBe(0.5)
    expect(topKAccuracy([2, 0], probs, 3, 3)).toBe(1)
  })
})

describe('calibration', () => {
  it('ECE over 15 equal-width bins matches a hand computation', () => {
    // Bin [0.8, 0.8667): confidences 0.8, 0.8 — one right → accuracy 0.5, gap 0.3, weight 2/4.
    // Bin [0.9333, 1]: confidences 1.0, 0.95 — both right → mean 0.975, gap 0.025, weight 2/4.
    const correct = [true, false, true, true]
    const conf = [0.8, 0.8, 1.0, 0.95]
    expect(expectedCalibrationError(correct, conf)).toBeCloseTo(0.5 * 0.3 + 0.5 * 0.025)
    const bins = reliabilityBins(correct, conf)
    expect(bins).toHaveLength(15)
    expect(bins[14]).toMatchObject({ count: 2, accuracy: 1 })
    expect(bins[14]!.meanConfidence).toBeCloseTo(0.975)
    expect(bins[12]).toMatchObject({ count: 2, accuracy: 0.5 })
  })

  it('a perfectly calibrated set has ECE 0', () => {
    const correct = [true, true, true, false]
    expect(expectedCalibrationError(correct, [0.75, 0.75, 0.75, 0.75])).toBeCloseTo(0)
  })
})

describe('coverage at precision', () => {
  // Confidence 0.9 0.8 0.7 0.6 0.5 with correctness T T F T F.
  const correct = [true, true, false, true, false]
  const conf = [0.9, 0.8, 0.7, 0.6, 0.5]

  it('takes the largest share whose precision reaches the target', () => {
    // ≥0.8 keeps 2 (P 1.0); ≥0.6 keeps 4 (P 0.75); ≥0.5 keeps 5 (P 0.6).
    expect(coverageAtPrecision(correct, conf, 0.95)).toMatchObject({ coverage: 0.4, precision: 1, threshold: 0.71 })
    expect(coverageAtPrecision(correct, conf, 0.75)).toMatchObject({ coverage: 0.8, precision: 0.75 })
    expect(coverageAtPrecision(correct, conf, 0.6).coverage).toBe(1)
  })

  it('reports no threshold when no share is precise enough', () => {
    expect(coverageAtPrecision([false, false], [0.9, 0.8], 0.5)).toMatchObject({ threshold: null, coverage: 0 })
  })

  it('the curve sweeps 0.00 … 0.99 and coverage never grows with the threshold', () => {
    const curve = precisionCoverageCurve(correct, conf)
    expect(curve).toHaveLength(100)
    expect(curve[0]).toMatchObject({ threshold: 0, coverage: 1, precision: 0.6 })
    for (let i = 1; i < curve.length; i++) expect(curve[i]!.coverage).toBeLessThanOrEqual(curve[i - 1]!.coverage)
  })
})

describe('evaluatePredictions', () => {
  it('derives predictions and confidence from probabilities', () => {
    const probs = [0.7, 0.3, 0.2, 0.8, 0.6, 0.4]
    const r = evaluatePredictions([0, 1, 1], probs, ['x', 'y'])
    expect(r.accuracy).toBeCloseTo(2 / 3)
    expect(r.meanConfidence).toBeCloseTo((0.7 + 0.8 + 0.6) / 3)
    expect(r.confusion).toEqual([
      [1, 0],
      [1, 1]
    ])
    expect(Object.keys(r.coverageAtPrecision)).toEqual(['0.80', '0.90', '0.95'])
  })
})
