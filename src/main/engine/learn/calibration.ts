// Turning scores into probabilities that mean what they say: temperature scaling, the neighbour vote
// and the head/vote blend. Everything here is fitted on validation rows, never on test rows.
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
  for (let i = 0; i < 60; i++) {
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

/** softmax(scores / T) per row, as float32 probabilities. */
export function applyTemperature(scores: ArrayLike<number>, C: number, T: number): Float32Array {
  const rows = scores.length / C
  const out = new Float32Array(scores.length)
  for (let r = 0; r < rows; r++) {
    let max = -Infinity
    for (let c = 0; c < C; c++) max = Math.max(max, scores[r * C + c]! / T)
    let sum = 0
    for (let c = 0; c < C; c++) sum += Math.exp(scores[r * C + c]! / T - max)
    for (let c = 0; c < C; c++) out[r * C + c] = Math.exp(scores[r * C + c]! / T - max) / sum
  }
  return out
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
