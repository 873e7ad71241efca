// Multinomial logistic regression over [dense embedding ⊕ sparse TF-IDF], class-weighted, L2.
// Parameters are laid out feature-major (W[f * C + c]) so a sparse feature touches one contiguous
// block of C weights.
import { minimiseLbfgs, type LbfgsMemory } from './lbfgs.ts'

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
  /** L-BFGS curvature pairs: read at the start (a warm refit) and left holding this fit's. */
  memory?: LbfgsMemory
  /** Loose convergence test on the training loss (relative decrease over 5 iterations); default 1e-4. */
  tolerance?: number
  /**
   * Early stopping: every `every` iterations the held-out rows' mean cross-entropy is measured; the fit
   * stops once it has not improved by `minGain` (relative) for `patience` checks in a row, and returns
   * the best parameters seen. Accuracy on held-out tickets stops moving long before the training loss
   * does, so this cuts most of the iterations without a worse head.
   */
  /** Precondition L-BFGS by each feature's mean square (see LbfgsOptions.diagonal). */
  precondition?: boolean
  earlyStopping?: { x: FeatureRows; labels: Int32Array; every: number; patience: number; minGain: number; keepStart?: boolean }
}

export interface FitReport {
  iterations: number
  /** Objective evaluations (line-search tries included): what the fit's time is proportional to. */
  evaluations?: number
  /** Iteration whose parameters were returned (the best on held-out rows with early stopping). */
  bestIteration: number
  heldOutLoss?: number
}

/** Per parameter, 1 / (mean square of its feature over the rows + l2): the preconditioner's shape. */
export function featureDiagonal(x: FeatureRows, C: number, l2: number): Float64Array {
  const F = x.denseDim + x.sparseDim
  const sq = new Float64Array(F + 1)
  for (let i = 0; i < x.dense.length; i++) sq[i % x.denseDim]! += x.dense[i]! * x.dense[i]!
  for (let j = 0; j < x.values.length; j++) sq[x.denseDim + x.indices[j]!]! += x.values[j]! * x.values[j]!
  const rows = Math.max(1, x.rows)
  sq[F] = rows
  const out = new Float64Array((F + 1) * C)
  // The bias is unregularised; its curvature is the mean of 1.
  for (let f = 0; f <= F; f++) out.fill(1 / (sq[f]! / rows + (f < F ? l2 : 0) + 1e-12), f * C, (f + 1) * C)
  return out
}

/** Mean cross-entropy of the rows' labels under softmax(x·w). */
export function meanCrossEntropy(w: ArrayLike<number>, x: FeatureRows, labels: Int32Array, C: number): number {
  if (x.rows === 0) return 0
  const probs = linearLogits(w, x, C)
  softmaxRows(probs, C)
  let total = 0
  for (let r = 0; r < x.rows; r++) total -= Math.log(Math.max(1e-300, probs[r * C + labels[r]!]!))
  return total / x.rows
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

/** Row r's logits into z: the bias, then each dense and each sparse feature's weights times its value. */
export function rowLogits(w: ArrayLike<number>, x: FeatureRows, r: number, C: number, z: Float64Array): void {
  const { indptr, indices, values, dense, denseDim, sparseDim } = x
  const biasAt = (denseDim + sparseDim) * C
  for (let c = 0; c < C; c++) z[c] = w[biasAt + c]!
  for (let d = 0; d < denseDim; d++) {
    const v = dense[r * denseDim + d]!
    if (v === 0) continue
    const base = d * C
    for (let c = 0; c < C; c++) z[c]! += v * w[base + c]!
  }
  for (let j = indptr[r]!; j < indptr[r + 1]!; j++) {
    const v = values[j]!
    const base = (denseDim + indices[j]!) * C
    for (let c = 0; c < C; c++) z[c]! += v * w[base + c]!
  }
}

/** The objective's row loop for any number of classes (see partialObjective). */
function genericObjective(
  w: ArrayLike<number>,
  x: FeatureRows,
  labels: Int32Array,
  C: number,
  classWeights: Float64Array,
  weightSum: number,
  from: number,
  to: number,
  grad: Float64Array
): number {
  const { indptr, indices, values, dense, denseDim, sparseDim } = x
  const biasAt = (denseDim + sparseDim) * C
  const z = new Float64Array(C)
  const residual = new Float64Array(C)
  let loss = 0
  for (let r = from; r < to; r++) {
    rowLogits(w, x, r, C, z)
    const a = indptr[r]!
    const b = indptr[r + 1]!
    let max = -Infinity
    for (let c = 0; c < C; c++) if (z[c]! > max) max = z[c]!
    let sum = 0
    for (let c = 0; c < C; c++) {
      const e = Math.exp(z[c]! - max)
      residual[c] = e
      sum += e
    }
    const y = labels[r]!
    const weight = classWeights[y]! / weightSum
    loss += weight * (max + Math.log(sum) - z[y]!)
    const scale = weight / sum
    for (let c = 0; c < C; c++) residual[c]! *= scale
    residual[y]! -= weight
    for (let c = 0; c < C; c++) grad[biasAt + c]! += residual[c]!
    for (let d = 0; d < denseDim; d++) {
      const v = dense[r * denseDim + d]!
      if (v === 0) continue
      const base = d * C
      for (let c = 0; c < C; c++) grad[base + c]! += v * residual[c]!
    }
    for (let j = a; j < b; j++) {
      const v = values[j]!
      const base = (denseDim + indices[j]!) * C
      for (let c = 0; c < C; c++) grad[base + c]! += v * residual[c]!
    }
  }
  return loss
}

type ObjectiveKernel = (
  w: ArrayLike<number>,
  x: FeatureRows,
  labels: Int32Array,
  classWeights: Float64Array,
  weightSum: number,
  from: number,
  to: number,
  grad: Float64Array
) => number

/** Up to this many classes the kernel is generated with one local per class (no inner class loop). */
const UNROLL_MAX = 16
const kernels = new Map<number, ObjectiveKernel>()

/**
 * The objective's row loop written out for C classes: the logits and residuals are locals, not a
 * typed array walked by an inner loop, which makes a pass ~2× faster in V8. Same arithmetic, in the
 * same order, as genericObjective.
 */
function unrolledKernel(C: number): ObjectiveKernel {
  let kernel = kernels.get(C)
  if (kernel) return kernel
  const cs = Array.from({ length: C }, (_, c) => c)
  const each = (f: (c: number) => string, sep = '\n'): string => cs.map(f).join(sep)
  const body = `
    const indptr = x.indptr, indices = x.indices, values = x.values, dense = x.dense, denseDim = x.denseDim
    const biasAt = (denseDim + x.sparseDim) * ${C}
    let loss = 0
    for (let r = from; r < to; r++) {
      ${each((c) => `let z${c} = w[biasAt + ${c}]`)}
      const rowAt = r * denseDim
      for (let d = 0; d < denseDim; d++) {
        const v = dense[rowAt + d]
        if (v === 0) continue
        const base = d * ${C}
        ${each((c) => `z${c} += v * w[base + ${c}]`)}
      }
      const a = indptr[r], b = indptr[r + 1]
      for (let j = a; j < b; j++) {
        const v = values[j]
        const base = (denseDim + indices[j]) * ${C}
        ${each((c) => `z${c} += v * w[base + ${c}]`)}
      }
      let max = z0
      ${each((c) => (c === 0 ? '' : `if (z${c} > max) max = z${c}`))}
      ${each((c) => `let e${c} = Math.exp(z${c} - max)`)}
      const sum = ${each((c) => `e${c}`, ' + ')}
      const y = labels[r]
      const weight = classWeights[y] / weightSum
      let zy = 0
      switch (y) { ${each((c) => `case ${c}: zy = z${c}; break`, '; ')} }
      loss += weight * (max + Math.log(sum) - zy)
      const scale = weight / sum
      ${each((c) => `e${c} = e${c} * scale - (y === ${c} ? weight : 0)`)}
      ${each((c) => `grad[biasAt + ${c}] += e${c}`)}
      for (let d = 0; d < denseDim; d++) {
        const v = dense[rowAt + d]
        if (v === 0) continue
        const base = d * ${C}
        ${each((c) => `grad[base + ${c}] += v * e${c}`)}
      }
      for (let j = a; j < b; j++) {
        const v = values[j]
        const base = (denseDim + indices[j]) * ${C}
        ${each((c) => `grad[base + ${c}] += v * e${c}`)}
      }
    }
    return loss`
  kernel = new Function('w', 'x', 'labels', 'classWeights', 'weightSum', 'from', 'to', 'grad', body) as ObjectiveKernel
  kernels.set(C, kernel)
  return kernel
}

/**
 * The data part of the objective over rows [from, to): adds each row's class-weighted cross-entropy
 * gradient into `grad` (the caller zeroes it) and returns the rows' loss. Forward and backward pass are
 * fused per row, so a row's weights are read once while they are in cache. Rows are independent, which
 * is what lets a helper thread take half of them (objectiveHelper.ts).
 */
export function partialObjective(
  w: ArrayLike<number>,
  x: FeatureRows,
  labels: Int32Array,
  C: number,
  classWeights: Float64Array,
  weightSum: number,
  from: number,
  to: number,
  grad: Float64Array
): number {
  if (C <= UNROLL_MAX && UNROLL) return unrolledKernel(C)(w, x, labels, classWeights, weightSum, from, to, grad)
  return genericObjective(w, x, labels, C, classWeights, weightSum, from, to, grad)
}

/** Off only to measure the generic loop against the generated one (TRIAGE_TRAIN_UNROLL=0). */
const UNROLL = process.env.TRIAGE_TRAIN_UNROLL !== '0'

/** Splits the data part of the objective with a helper thread; absent when the problem is too small. */
export interface ObjectiveHelper {
  /** Rows [split, rows) are the helper's; the caller computes [0, split). */
  readonly split: number
  /** Starts the helper on its rows at `w`; `collect` then waits for it and adds its gradient. */
  start(w: Float64Array): void
  collect(grad: Float64Array): number
  close(): Promise<void>
}

export function sumWeights(labels: Int32Array, classWeights: Float64Array): number {
  let weightSum = 0
  for (const y of labels) weightSum += classWeights[y]!
  return weightSum
}

export function fitSoftmaxRegression(x: FeatureRows, labels: Int32Array, C: number, options: FitOptions & { helper?: ObjectiveHelper }, report?: FitReport): LinearHead {
  const P = (x.denseDim + x.sparseDim + 1) * C
  const biasAt = (x.denseDim + x.sparseDim) * C
  const params = new Float64Array(P)
  if (options.warmStart?.length === P) params.set(options.warmStart)
  const weightSum = sumWeights(labels, options.classWeights)
  const helper = options.helper
  const own = helper ? helper.split : x.rows
  let evaluations = 0
  const objective = (w: Float64Array, grad: Float64Array): number => {
    evaluations++
    helper?.start(w)
    grad.fill(0)
    let loss = partialObjective(w, x, labels, C, options.classWeights, weightSum, 0, own, grad)
    if (helper) loss += helper.collect(grad)
    let reg = 0
    for (let i = 0; i < biasAt; i++) {
      reg += w[i]! * w[i]!
      grad[i]! += options.l2 * w[i]!
    }
    return loss + 0.5 * options.l2 * reg
  }
  const stopping = options.earlyStopping
  // With keepStart a warm start is itself a candidate: a short continuation that only overfits gives it back
  // unchanged (an update with nothing new to learn). A grid point must move to its own l2, so it does not.
  let best: { loss: number; iteration: number; params: Float64Array } | undefined =
    stopping?.keepStart && options.warmStart ? { loss: meanCrossEntropy(params, stopping.x, stopping.labels, C), iteration: 0, params: Float64Array.from(params) } : undefined
  let stale = 0
  const shouldStop = stopping
    ? (iteration: number, w: Float64Array): boolean => {
        if (iteration % stopping.every !== 0) return false
        const loss = meanCrossEntropy(w, stopping.x, stopping.labels, C)
        if (!best || loss < best.loss * (1 - stopping.minGain)) stale = 0
        else stale++
        if (!best || loss < best.loss) best = { loss, iteration, params: Float64Array.from(w) }
        return stale >= stopping.patience
      }
    : undefined
  const run = minimiseLbfgs(objective, params, {
    diagonal: options.precondition ? featureDiagonal(x, C, options.l2) : undefined,
    maxIterations: options.maxIterations,
    onIteration: options.onIteration,
    shouldStop,
    signal: options.signal,
    memoryState: options.memory,
    tolerance: options.tolerance
  })
  let bestIteration = run.iterations
  if (best) {
    // The last point may be newer than the last check: it counts if it is the best.
    const last = run.iterations % stopping!.every === 0 ? Infinity : meanCrossEntropy(params, stopping!.x, stopping!.labels, C)
    if (best.loss < last) {
      params.set(best.params)
      bestIteration = best.iteration
    }
  }
  if (report) {
    report.iterations = run.iterations
    report.bestIteration = bestIteration
    report.evaluations = evaluations
    if (best) report.heldOutLoss = best.loss
  }
  return { classes: C, denseDim: x.denseDim, sparseDim: x.sparseDim, weights: Float32Array.from(params) }
}
