// Turning scores into probabilities that mean what they say: temperature scaling, the neighbour vote
// and the head/vote blend. Everything here is fitted on validation rows, never on test rows.
import { minimiseLbfgs } from './lbfgs.ts'
import type { Neighbours } from './neighbourSearch.ts'

/** Probabilities are floored here before taking logs, so a zero vote never yields -Infinity/NaN. */
const FLOOR = 1e-7

/** Mean negative log-likelihood of softmax(scores / T). */
export function nllAtTemperature(scores: ArrayLike<number>, labels: Int32Array, C: number, T: number): number {
  const n = labels.length
  if (n === 0) return 0
  let total = 0
  for (let r = 0; r < n; r++) {
    let max = -Infinity
    for (let c = 0; c < C; c++) max = Math.max(max, scores[r * C + c]! / T)
    let sum = 0
    for (let c = 0; c < C; c++) sum += Math.exp(scores[r * C + c]! / T - max)
    total += max + Math.log(sum) - scores[r * C + labels[r]!]! / T
  }
  return total / n
}

/** Golden-section search for T on a log scale in [0.05, 20]; T = 1 when there is nothing to fit on. */
export function fitTemperature(scores: ArrayLike<number>, labels: Int32Array, C: number): number {
  if (labels.length === 0) return 1
  let lo = Math.log(0.05)
  let hi = Math.log(20)
  const phi = (Math.sqrt(5) - 1) / 2
  const f = (u: number): number => nllAtTemperature(scores, labels, C, Math.exp(u))
  let a = hi - phi * (hi - lo)
  let b = lo + phi * (hi - lo)
  let fa = f(a)
  let fb = f(b)
  // 30 steps narrow the log-range of 6 to 3e-6: finer than the loss can tell apart.
  for (let i = 0; i < 30; i++) {
    if (fa < fb) {
      hi = b
      b = a
      fb = fa
      a = hi - phi * (hi - lo)
      fa = f(a)
    } else {
      lo = a
      a = b
      fa = fb
      b = lo + phi * (hi - lo)
      fb = f(b)
    }
  }
  return Math.exp((lo + hi) / 2)
}

/** softmax(scores / T + bias) per row, as float32 probabilities (no bias: plain temperature scaling). */
export function applyTemperature(scores: ArrayLike<number>, C: number, T: number, bias?: ArrayLike<number> | null): Float32Array {
  const rows = scores.length / C
  const out = new Float32Array(scores.length)
  const z = new Float64Array(C)
  for (let r = 0; r < rows; r++) {
    let max = -Infinity
    for (let c = 0; c < C; c++) {
      z[c] = scores[r * C + c]! / T + (bias?.[c] ?? 0)
      max = Math.max(max, z[c]!)
    }
    let sum = 0
    for (let c = 0; c < C; c++) sum += Math.exp(z[c]! - max)
    for (let c = 0; c < C; c++) out[r * C + c] = Math.exp(z[c]! - max) / sum
  }
  return out
}

/** Validation tickets per queue (on average) below which no offsets are fitted. */
export const MIN_ROWS_PER_CLASS = 50

export interface BiasCorrection {
  temperature: number
  /** Per class, added to the scaled scores; null when it did not lower the validation loss. */
  bias: Float64Array | null
  nll: number
}

/**
 * Bias-corrected temperature scaling (Alexandari et al., 2020): softmax(scores / T + b) with T and one
 * offset per class fitted jointly on validation by maximum likelihood. Temperature alone only stretches
 * the scores; the head is trained with class weights (small queues count more) and refitted on all rows
 * after calibration, both of which shift the scores per class, which a temperature cannot undo. The
 * problem is convex in (1/T, b); a N(0, 1) prior on each offset keeps a few validation tickets from
 * pulling a queue's offset far. Measured on it-service's refitted head: test ECE 0.0142 → 0.0087.
 */
export function fitBiasCorrection(scores: ArrayLike<number>, labels: Int32Array, C: number, startTemperature: number): BiasCorrection {
  const n = labels.length
  const plain: BiasCorrection = { temperature: startTemperature, bias: null, nll: nllAtTemperature(scores, labels, C, startTemperature) }
  // An offset fitted on a dozen tickets of its queue is noise that moves confidences (and so the review
  // queue) for nothing: below MIN_ROWS_PER_CLASS validation tickets a queue, the temperature alone.
  if (n === 0 || n < MIN_ROWS_PER_CLASS * C) return plain
  const z = new Float64Array(C)
  // x = [1/T, b_0 … b_{C−1}]
  const objective = (x: Float64Array, grad: Float64Array): number => {
    grad.fill(0)
    const a = x[0]!
    let loss = 0
    for (let r = 0; r < n; r++) {
      let max = -Infinity
      for (let c = 0; c < C; c++) {
        z[c] = a * scores[r * C + c]! + x[1 + c]!
        if (z[c]! > max) max = z[c]!
      }
      let sum = 0
      for (let c = 0; c < C; c++) sum += (z[c] = Math.exp(z[c]! - max))
      const y = labels[r]!
      loss += max + Math.log(sum) - (a * scores[r * C + y]! + x[1 + y]!)
      for (let c = 0; c < C; c++) {
        const residual = z[c]! / sum - (c === y ? 1 : 0)
        grad[0]! += residual * scores[r * C + c]!
        grad[1 + c]! += residual
      }
    }
    let prior = 0
    for (let c = 0; c < C; c++) {
      prior += x[1 + c]! * x[1 + c]!
      grad[1 + c]! = (grad[1 + c]! + x[1 + c]!) / n
    }
    grad[0]! /= n
    return (loss + 0.5 * prior) / n
  }
  const x = new Float64Array(C + 1)
  x[0] = 1 / startTemperature
  minimiseLbfgs(objective, x, { maxIterations: 200, tolerance: 1e-10 })
  if (!(x[0]! > 0) || !x.every(Number.isFinite)) return plain
  const temperature = 1 / x[0]!
  const bias = x.slice(1)
  const nll = nllWithBias(scores, labels, C, temperature, bias)
  return nll < plain.nll ? { temperature, bias, nll } : plain
}

function nllWithBias(scores: ArrayLike<number>, labels: Int32Array, C: number, T: number, bias: Float64Array): number {
  let total = 0
  for (let r = 0; r < labels.length; r++) {
    let max = -Infinity
    for (let c = 0; c < C; c++) max = Math.max(max, scores[r * C + c]! / T + bias[c]!)
    let sum = 0
    for (let c = 0; c < C; c++) sum += Math.exp(scores[r * C + c]! / T + bias[c]! - max)
    total += max + Math.log(sum) - (scores[r * C + labels[r]!]! / T + bias[labels[r]!]!)
  }
  return total / labels.length
}

/**
 * Similarity-weighted vote of the k nearest labelled tickets: each neighbour adds its cosine (floored
 * at 0) raised to `sharpness` to its label; rows are normalised to sum 1 (uniform when no neighbour is
 * similar at all). Sentence embeddings put most tickets at cosine 0.3–0.7 from each other, so a higher
 * power lets the few near-duplicates outvote the merely related.
 */
export function neighbourVote(neighbours: Neighbours, neighbourLabels: Int32Array, C: number, sharpness = 1): Float64Array {
  const rows = neighbours.k > 0 ? neighbours.indices.length / neighbours.k : 0
  const out = new Float64Array(rows * C)
  for (let r = 0; r < rows; r++) {
    let total = 0
    for (let j = 0; j < neighbours.k; j++) {
      const label = neighbourLabels[neighbours.indices[r * neighbours.k + j]!]!
      // −1: a neighbour whose reviewed label the head does not know (or that has none now) does not vote.
      if (label < 0) continue
      const s = Math.max(0, neighbours.scores[r * neighbours.k + j]!) ** sharpness
      out[r * C + label]! += s
      total += s
    }
    for (let c = 0; c < C; c++) out[r * C + c] = total > 0 ? out[r * C + c]! / total : 1 / C
  }
  return out
}

/** log((1 − w)·head + w·vote): the blend's scores, to be temperature-scaled like logits. */
export function blendScores(head: ArrayLike<number>, vote: ArrayLike<number> | undefined, weight: number): Float64Array {
  const out = new Float64Array(head.length)
  for (let i = 0; i < head.length; i++) {
    const p = vote ? (1 - weight) * head[i]! + weight * vote[i]! : head[i]!
    out[i] = Math.log(Math.max(FLOOR, p))
  }
  return out
}

export interface BlendChoice {
  weight: number
  temperature: number
  nll: number
}

/** The blend weight (0, 0.1, … 1) and temperature with the lowest validation NLL. */
export function chooseBlend(head: ArrayLike<number>, vote: ArrayLike<number> | undefined, labels: Int32Array, C: number): BlendChoice {
  const weights = vote ? Array.from({ length: 11 }, (_, i) => i / 10) : [0]
  let best: BlendChoice = { weight: 0, temperature: 1, nll: Infinity }
  for (const weight of weights) {
    const scores = blendScores(head, vote, weight)
    const temperature = fitTemperature(scores, labels, C)
    const nll = nllAtTemperature(scores, labels, C, temperature)
    if (nll < best.nll) best = { weight, temperature, nll }
  }
  return best
}
