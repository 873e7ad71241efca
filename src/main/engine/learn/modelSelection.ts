// Choosing the regularisation strength and the embedding's weight on the validation split, as a
// scikit-learn user would with a small grid search: one fixed l2 costs accuracy on small or unusual data
// sets. The grid is searched coordinate by coordinate from the defaults (trainHead), each fit warm-started
// from the best so far, so most points start close to their optimum and stop early.
import { fitTemperature, nllAtTemperature } from './calibration.ts'
import { rowArgmax } from '../evaluate/metrics.ts'
import type { FeatureRows } from './softmaxRegression.ts'
import type { SelectionPointView } from '../../../shared/models.ts'

/** One grid point: the contract's shape, so the engine's curve goes to the window as it is. */
export type SelectionPoint = SelectionPointView

export interface ModelSelection {
  readonly criterion: 'validation log-loss'
  /** Every grid point in the order it was fitted. */
  readonly curve: readonly SelectionPoint[]
  readonly l2: number
  readonly embeddingScale: number
  /** Chosen after the head, on the same validation rows (0: the neighbour vote is not used). */
  readonly blendWeight: number
  readonly sharpness: number
}

export interface GridPoint {
  readonly l2: number
  readonly embeddingScale: number
}

/** Multiplies the dense (embedding) block of rows by `factor` in place: a change of embedding scale. */
export function rescaleDense(x: FeatureRows, factor: number): void {
  if (factor === 1) return
  for (let i = 0; i < x.dense.length; i++) x.dense[i]! *= factor
}

/**
 * Weights for rows whose embedding block is `factor` times larger: the dense weights shrink by the same
 * factor so every logit stays what it was (the warm start of the next grid point).
 */
export function rescaleDenseWeights(weights: Float32Array, denseDim: number, C: number, factor: number): Float32Array {
  const out = Float32Array.from(weights)
  if (factor !== 1) for (let i = 0; i < denseDim * C; i++) out[i]! /= factor
  return out
}

/** Validation log-loss at the best temperature, and accuracy, of head probabilities (rows × C). */
export function scoreOnValidation(probs: Float64Array, labels: Int32Array, C: number): { nll: number; accuracy: number } {
  if (labels.length === 0) return { nll: NaN, accuracy: NaN }
  const logs = probs.map((p) => Math.log(Math.max(1e-12, p)))
  const t = fitTemperature(logs, labels, C)
  let right = 0
  for (let r = 0; r < labels.length; r++) if (rowArgmax(probs, r, C) === labels[r]) right++
  return { nll: nllAtTemperature(logs, labels, C, t), accuracy: right / labels.length }
}
