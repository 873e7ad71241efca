// Multinomial logistic regression over [dense embedding ⊕ sparse TF-IDF], class-weighted, L2.
// Parameters are laid out feature-major (W[f * C + c]) so a sparse feature touches one contiguous
// block of C weights.
import { minimiseLbfgs } from './lbfgs.ts'

export interface FeatureRows {
  rows: number
  /** Dense part, row-major rows × denseDim (the sentence embedding, already scaled); may be empty. */
  dense: Float32Array
  denseDim: number
  /** Sparse part in CSR with indices already in the compact feature space [0, sparseDim). */
  indptr: Int32Array
  indices: Int32Array
  values: Float32Array
  sparseDim: number
}

export interface LinearHead {
  classes: number
  denseDim: number
  sparseDim: number
  /** (denseDim + sparseDim) × classes, then `classes` biases. */
  weights: Float32Array
}

export interface FitOptions {
  l2: number
  maxIterations: number
  classWeights: Float64Array
  onIteration?: (iteration: number, loss: number) => void
  signal?: AbortSignal
  /** Start from these parameters (a head fitted on a subset): the refit then needs few iterations. */
  warmStart?: Float32Array
}

/** Raw scores (logits) of every row, row-major rows × classes. */
export function linearLogits(params: ArrayLike<number>, x: FeatureRows, C: number, out = new Float64Array(x.rows * C)): Float64Array {
  const biasAt = (x.denseDim + x.sparseDim) * C
  for (let r = 0; r < x.rows; r++) {
    const z = r * C
    for (let c = 0; c < C; c++) out[z + c] = params[biasAt + c]!
    for (let d = 0; d < x.denseDim; d++) {
      const v = x.dense[r * x.denseDim + d]!
      if (v === 0) continue
      const base = d * C
      for (let c = 0; c < C; c++) out[z + c]! += v * params[base + c]!
    }
    for (let j = x.indptr[r]!; j < x.indptr[r + 1]!; j++) {
      const v = x.values[j]!
      const base = (x.denseDim + x.indices[j]!) * C
      for (let c = 0; c < C; c++) out[z + c]! += v * params[base + c]!
    }
  }
  return out
}

/** In-place softmax of each row of logits; returns the log-sum-exp per row. */
export function softmaxRows(logits: Float64Array | Float32Array, C: number): Float64Array {
  const rows = logits.length / C
  const lse = new Float64Array(rows)
  for (let r = 0; r < rows; r++) {
    let max = -Infinity
    for (let c = 0; c < C; c++) max = Math.max(max, logits[r * C + c]!)
    let sum = 0
    for (let c = 0; c < C; c++) {
      const e = Math.exp(logits[r * C + c]! - max)
      logits[r * C + c] = e
      sum += e
    }
    for (let c = 0; c < C; c++) logits[r * C + c]! /= sum
    lse[r] = max + Math.log(sum)
  }
  return lse
}

export type ClassWeighting = 'balanced' | 'sqrt' | 'none'

/**
 * 'balanced' (n / (C · n_c)) makes a small queue count as much as a big one in the loss (best macro-F1);
 * 'sqrt' goes half-way, trading a little macro-F1 for accuracy when queues are very unequal.
 */
export function classWeights(labels: Int32Array, C: number, weighting: ClassWeighting = 'balanced'): Float64Array {
  const counts = new Float64Array(C)
  for (const y of labels) counts[y]!++
  const present = counts.filter((n) => n > 0).length || 1
  const power = weighting === 'balanced' ? 1 : weighting === 'sqrt' ? 0.5 : 0
  const raw = counts.map((n) => (n > 0 ? (labels.length / (present * n)) ** power : 0))
  return raw
}

export function fitSoftmaxRegression(x: FeatureRows, labels: Int32Array, C: number, options: FitOptions): LinearHead {
  const P = (x.denseDim + x.sparseDim + 1) * C
  const biasAt = (x.denseDim + x.sparseDim) * C
  const params = new Float64Array(P)
  if (options.warmStart?.length === P) params.set(options.warmStart)
  const logits = new Float64Array(x.rows * C)
  let weightSum = 0
  for (const y of labels) weightSum += options.classWeights[y]!
  const objective = (w: Float64Array, grad: Float64Array): number => {
    grad.fill(0)
    linearLogits(w, x, C, logits)
    let loss = 0
    const residual = new Float64Array(C)
    for (let r = 0; r < x.rows; r++) {
      const z = r * C
      let max = -Infinity
      for (let c = 0; c < C; c++) max = Math.max(max, logits[z + c]!)
      let sum = 0
      for (let c = 0; c < C; c++) sum += Math.exp(logits[z + c]! - max)
      const y = labels[r]!
      const weight = options.classWeights[y]! / weightSum
      loss += weight * (max + Math.log(sum) - logits[z + y]!)
      for (let c = 0; c < C; c++) residual[c] = (weight * Math.exp(logits[z + c]! - max)) / sum
      residual[y]! -= weight
      for (let c = 0; c < C; c++) grad[biasAt + c]! += residual[c]!
      for (let d = 0; d < x.denseDim; d++) {
        const v = x.dense[r * x.denseDim + d]!
        const base = d * C
        for (let c = 0; c < C; c++) grad[base + c]! += v * residual[c]!
      }
      for (let j = x.indptr[r]!; j < x.indptr[r + 1]!; j++) {
        const v = x.values[j]!
        const base = (x.denseDim + x.indices[j]!) * C
        for (let c = 0; c < C; c++) grad[base + c]! += v * residual[c]!
      }
    }
    let reg = 0
    for (let i = 0; i < biasAt; i++) {
      reg += w[i]! * w[i]!
      grad[i]! += options.l2 * w[i]!
    }
    return loss + 0.5 * options.l2 * reg
  }
  minimiseLbfgs(objective, params, {
    maxIterations: options.maxIterations,
    onIteration: options.onIteration,
    signal: options.signal
  })
  return { classes: C, denseDim: x.denseDim, sparseDim: x.sparseDim, weights: Float32Array.from(params) }
}
