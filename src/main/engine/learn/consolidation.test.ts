import { describe, expect, it } from 'vitest'
import { consolidate, curvatureDiagonal } from './consolidation.ts'
import { partialObjective, type FeatureRows } from './softmaxRegression.ts'

// A small problem whose answer can be checked by its optimality condition: at the consolidated weights the
// gradient of ½ Σ D (w − w0)² + Σ rows loss vanishes, and the weights no row reads stay at the anchor.
const C = 3
const rows: FeatureRows = {
  rows: 4,
  denseDim: 2,
  dense: Float32Array.of(0.6, -0.8, 0.1, 0.99, -0.7, 0.7, 1, 0),
  sparseDim: 10,
  indptr: Int32Array.of(0, 2, 3, 5, 6),
  indices: Int32Array.of(1, 4, 4, 2, 7, 9),
  values: Float32Array.of(0.8, 0.6, 1, 0.5, 0.86, 1)
}
const labels = Int32Array.of(2, 0, 1, 2)
const P = (rows.denseDim + rows.sparseDim + 1) * C
const anchor = Float32Array.from({ length: P }, (_, i) => Math.sin(i) * 0.3)
const weights = Float64Array.of(1, 1.5, 0.8)

describe('consolidation', () => {
  it('finds the point where the decided rows balance the previous fit, and leaves the other weights alone', () => {
    const curvature = Float32Array.from({ length: P }, (_, i) => 0.05 + 0.02 * (i % 5))
    const { weights: w } = consolidate({ anchor, curvature, C, gained: { x: rows, labels }, classWeights: weights, weightSum: 20, maxIterations: 200 })
    const grad = new Float64Array(P)
    const lossAt = (at: ArrayLike<number>, g: Float64Array): number => {
      g.fill(0)
      let loss = partialObjective(at, rows, labels, C, weights, 20, 0, rows.rows, g)
      for (let i = 0; i < P; i++) {
        const d = at[i]! - anchor[i]!
        loss += 0.5 * curvature[i]! * d * d
        g[i]! += curvature[i]! * d
      }
      return loss
    }
    const loss = lossAt(w, grad)
    expect(Math.max(...grad.map(Math.abs))).toBeLessThan(1e-4)
    expect(loss).toBeLessThan(lossAt(anchor, new Float64Array(P)))
    // Sparse features 0, 3, 5, 6 and 8 appear in no row: their weights are the anchor's.
    for (const f of [0, 3, 5, 6, 8]) for (let c = 0; c < C; c++) expect(w[(rows.denseDim + f) * C + c]).toBe(anchor[(rows.denseDim + f) * C + c])
  })

  it('measures a curvature that is positive where rows read, l2 elsewhere, and no l2 on the biases', () => {
    const d = curvatureDiagonal(anchor, rows, labels, C, weights, 20, 1e-3)
    for (let c = 0; c < C; c++) expect(d[(rows.denseDim + 0) * C + c]).toBeCloseTo(1e-3, 9)
    expect(d[(rows.denseDim + 4) * C]!).toBeGreaterThan(1e-3)
    const biasAt = (rows.denseDim + rows.sparseDim) * C
    for (let c = 0; c < C; c++) {
      expect(d[biasAt + c]!).toBeGreaterThan(0)
      expect(d[biasAt + c]!).toBeLessThan(0.25 * 1.5)
    }
  })
})
