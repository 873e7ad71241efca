import { describe, expect, it } from 'vitest'
import { applyTemperature, blendScores, chooseBlend, fitBiasCorrection, fitTemperature, MIN_ROWS_PER_CLASS, neighbourVote, nllAtTemperature } from './calibration.ts'
import { nearestNeighbours } from './neighbourSearch.ts'
import { seededRandom, splitForValidation } from './trainingSplit.ts'
import { deriveThresholds, thresholdFor } from './thresholds.ts'

/** Labels drawn from softmax(scores / T): the temperature that generated them is the one to recover. */
function sampled(T: number, n: number, C: number, bias?: number[]): { scores: Float64Array; labels: Int32Array } {
  const random = seededRandom(3)
  const scores = new Float64Array(n * C).map(() => (random() - 0.5) * 8)
  const probs = applyTemperature(scores, C, T, bias)
  const labels = new Int32Array(n)
  for (let r = 0; r < n; r++) {
    let u = random()
    let c = 0
    while (c < C - 1 && u > probs[r * C + c]!) u -= probs[r * C + c++]!
    labels[r] = c
  }
  return { scores, labels }
}

describe('temperature scaling', () => {
  it('recovers the temperature that generated the labels', () => {
    for (const T of [0.5, 2]) {
      const { scores, labels } = sampled(T, 6000, 4)
      expect(fitTemperature(scores, labels, 4)).toBeCloseTo(T, 0)
      expect(nllAtTemperature(scores, labels, 4, fitTemperature(scores, labels, 4))).toBeLessThanOrEqual(nllAtTemperature(scores, labels, 4, 1) + 1e-9)
    }
  })

  it('is 1 with nothing to fit on', () => {
    expect(fitTemperature(new Float64Array(0), new Int32Array(0), 3)).toBe(1)
  })
})

describe('bias-corrected temperature scaling', () => {
  it('recovers per-class offsets a temperature alone cannot undo, and lowers the loss', () => {
    // Offsets as a class-weighted head leaves them: the small classes' scores pushed up.
    const truth = [0.6, -0.2, 0.1, -0.5]
    const { scores, labels } = sampled(1.5, 20000, 4, truth)
    const plainT = fitTemperature(scores, labels, 4)
    const fitted = fitBiasCorrection(scores, labels, 4, plainT)
    expect(fitted.bias).not.toBeNull()
    expect(fitted.temperature).toBeCloseTo(1.5, 0)
    // Offsets are identified up to a common shift: compare them centred.
    const centre = (b: ArrayLike<number>): number[] => Array.from(b, (v) => v - Array.from(b).reduce((a, x) => a + x, 0) / b.length)
    centre(fitted.bias!).forEach((b, c) => expect(b).toBeCloseTo(centre(truth)[c]!, 1))
    expect(fitted.nll).toBeLessThan(nllAtTemperature(scores, labels, 4, plainT))
  })

  it('keeps plain temperature scaling when offsets do not help, and with nothing to fit on', () => {
    const { scores, labels } = sampled(0.8, 3000, 3)
    const fitted = fitBiasCorrection(scores, labels, 3, fitTemperature(scores, labels, 3))
    expect(fitted.temperature).toBeCloseTo(0.8, 0)
    for (const b of fitted.bias ?? []) expect(Math.abs(b)).toBeLessThan(0.15)
    expect(fitBiasCorrection(new Float64Array(0), new Int32Array(0), 3, 1)).toEqual({ temperature: 1, bias: null, nll: 0 })
    // Too few validation tickets a queue to tell an offset from noise: the temperature alone.
    const few = sampled(1.5, 4 * (MIN_ROWS_PER_CLASS - 1), 4, [0.6, -0.2, 0.1, -0.5])
    expect(fitBiasCorrection(few.scores, few.labels, 4, 1.5).bias).toBeNull()
  })
})

describe('neighbour vote and blend', () => {
  it('weights neighbours by similarity and never produces log(0)', () => {
    const vote = neighbourVote({ k: 3, indices: Int32Array.of(0, 1, 2, 0, 1, 2), scores: Float32Array.of(0.9, 0.1, -0.5, 0, 0, 0) }, Int32Array.of(0, 1, 1), 2)
    expect(vote[0]).toBeCloseTo(0.9)
    expect(vote[1]).toBeCloseTo(0.1)
    expect([vote[2], vote[3]]).toEqual([0.5, 0.5])
    // Sharpness 2: weights 0.81 and 0.01, so the near-duplicate dominates even more.
    const sharp = neighbourVote({ k: 2, indices: Int32Array.of(0, 1), scores: Float32Array.of(0.9, 0.1) }, Int32Array.of(0, 1), 2, 2)
    expect(sharp[0]).toBeCloseTo(0.81 / 0.82)
    const scores = blendScores(Float64Array.of(1, 0, 0, 1), Float64Array.of(0, 1, 0, 1), 0)
    expect(scores.every(Number.isFinite)).toBe(true)
  })

  it('chooses a weight of 0 when the vote is noise and > 0 when it carries signal', () => {
    const { scores, labels } = sampled(1, 3000, 3)
    const head = applyTemperature(scores, 3, 1)
    const uniform = new Float64Array(head.length).fill(1 / 3)
    expect(chooseBlend(head, uniform, labels, 3).weight).toBe(0)
    const oracle = new Float64Array(head.length)
    labels.forEach((y, r) => (oracle[r * 3 + y] = 0.6))
    for (let i = 0; i < oracle.length; i++) oracle[i] ||= 0.2
    expect(chooseBlend(head, oracle, labels, 3).weight).toBeGreaterThan(0)
  })
})

describe('nearestNeighbours (onnxruntime Gemm + TopK)', () => {
  it('matches a brute-force search and can skip the query itself', async () => {
    const random = seededRandom(11)
    const dim = 24
    const n = 700
    const keys = new Float32Array(n * dim).map(() => random() - 0.5)
    const result = await nearestNeighbours(keys.subarray(0, 5 * dim), keys, dim, 4, { excludeSelf: true })
    for (let q = 0; q < 5; q++) {
      const sims = Array.from({ length: n }, (_, j) => {
        let s = 0
        for (let d = 0; d < dim; d++) s += keys[q * dim + d]! * keys[j * dim + d]!
        return [j, s] as const
      }).filter(([j]) => j !== q)
      sims.sort((a, b) => b[1] - a[1])
      expect(Array.from(result.indices.subarray(q * 4, q * 4 + 4))).toEqual(sims.slice(0, 4).map(([j]) => j))
    }
  })
})

describe('validation split', () => {
  it('is stratified, keeps singletons in training and is time-based when dates are given', () => {
    const labels = Int32Array.from([...Array(40).fill(0), ...Array(20).fill(1), 2])
    const s = splitForValidation(labels, 0.25, 1)
    expect(s.method).toBe('stratified')
    expect(s.validation.filter((i) => labels[i] === 0)).toHaveLength(10)
    expect(s.validation.filter((i) => labels[i] === 1)).toHaveLength(5)
    expect(s.train).toContain(60)
    const dates = Array.from(labels, (_, i) => 1000 - i)
    const t = splitForValidation(labels, 0.25, 1, dates)
    expect(t.method).toBe('time')
    expect(Math.max(...t.train.map((i) => dates[i]!))).toBeLessThan(Math.min(...t.validation.map((i) => dates[i]!)))
  })
})

describe('review thresholds', () => {
  it('derive a global and per-queue threshold from a target precision, or review everything', () => {
    const n = 100
    const confidence = Float32Array.from({ length: n }, (_, i) => i / n)
    const predicted = new Int32Array(n)
    // Right exactly when confidence ≥ 0.5.
    const truth = Int32Array.from({ length: n }, (_, i) => (i >= 50 ? 0 : 1))
    const t = deriveThresholds(predicted, confidence, truth, ['a', 'b'], 0.95)
    expect(t.global).toBeCloseTo(0.48, 2)
    expect(t.globalCoverage).toBeCloseTo(0.52, 2)
    expect(thresholdFor(t, 'a')).toBe(t.perClass.a!.threshold)
    expect(thresholdFor(t, 'b')).toBe(t.global)
    const none = deriveThresholds(predicted, confidence, new Int32Array(n).fill(1), ['a', 'b'], 0.9)
    expect(none.global).toBeGreaterThan(1)
  })
})
