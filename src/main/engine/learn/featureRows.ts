// Builds the head's input rows: the scaled sentence embedding next to the TF-IDF features, with the
// TF-IDF hashed space compacted to the features seen in training (most of 2^19 buckets are empty).
import { transformTfidf, type TfidfModel } from '../inference/tfidf.ts'
import type { FeatureRows } from './softmaxRegression.ts'

export interface FeatureSpace {
  tfidf: TfidfModel
  /** Hashed feature → compact index, −1 when unused. */
  compact: Int32Array
  sparseDim: number
  embeddingDim: number
  /** Weight of the embedding block relative to the unit-norm TF-IDF block. */
  embeddingScale: number
}

export function featureSpace(tfidf: TfidfModel, embeddingDim: number, embeddingScale: number): FeatureSpace {
  const compact = new Int32Array(tfidf.idf.length).fill(-1)
  let next = 0
  tfidf.idf.forEach((v, f) => {
    if (v > 0) compact[f] = next++
  })
  return { tfidf, compact, sparseDim: next, embeddingDim, embeddingScale }
}

export function buildFeatureRows(
  space: FeatureSpace,
  texts: readonly string[],
  embeddings: Float32Array | undefined
): FeatureRows {
  const sparse = transformTfidf(space.tfidf, texts)
  const indices = new Int32Array(sparse.indices.length)
  for (let j = 0; j < indices.length; j++) indices[j] = space.compact[sparse.indices[j]!]!
  let dense = new Float32Array(0)
  if (space.embeddingDim > 0) {
    if (!embeddings || embeddings.length !== texts.length * space.embeddingDim) {
      throw new Error(`expected ${texts.length} × ${space.embeddingDim} embedding values, got ${embeddings?.length ?? 0}`)
    }
    dense = new Float32Array(embeddings.length)
    for (let i = 0; i < dense.length; i++) dense[i] = embeddings[i]! * space.embeddingScale
  }
  return {
    rows: texts.length,
    dense,
    denseDim: space.embeddingDim,
    indptr: sparse.indptr,
    indices,
    values: sparse.values,
    sparseDim: space.sparseDim
  }
}

/** Rows `pick` of a per-row vector block (n × dim). */
export function pickRows(matrix: Float32Array | undefined, dim: number, pick: readonly number[]): Float32Array | undefined {
  if (!matrix || dim === 0) return undefined
  const out = new Float32Array(pick.length * dim)
  pick.forEach((r, i) => out.set(matrix.subarray(r * dim, (r + 1) * dim), i * dim))
  return out
}

/** The rows of `a` then the rows of `b` (same feature space): the refit's rows without featurising again. */
export function concatRows(a: FeatureRows, b: FeatureRows): FeatureRows {
  const indptr = new Int32Array(a.rows + b.rows + 1)
  indptr.set(a.indptr)
  const base = a.indptr[a.rows]!
  for (let r = 1; r <= b.rows; r++) indptr[a.rows + r] = base + b.indptr[r]!
  const indices = new Int32Array(a.indices.length + b.indices.length)
  indices.set(a.indices)
  indices.set(b.indices, a.indices.length)
  const values = new Float32Array(a.values.length + b.values.length)
  values.set(a.values)
  values.set(b.values, a.values.length)
  const dense = new Float32Array(a.dense.length + b.dense.length)
  dense.set(a.dense)
  dense.set(b.dense, a.dense.length)
  return { rows: a.rows + b.rows, dense, denseDim: a.denseDim, indptr, indices, values, sparseDim: a.sparseDim }
}
