/**
 * Deterministic vectors for the similar-index tests and benchmark: a seeded generator (tests must
 * fail the same way twice) and clustered data that looks like embeddings of repetitive tickets.
 */

// The same seeded generator the training split uses: tests must fail the same way twice.
import { seededRandom } from '../learn/trainingSplit.ts'

export { seededRandom }

/** Standard normal samples (Box–Muller). */
export function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

export function randomMatrix(rows: number, dim: number, seed: number): Float32Array {
  const normal = gaussian(seededRandom(seed))
  const out = new Float32Array(rows * dim)
  for (let i = 0; i < out.length; i++) out[i] = normal()
  return out
}

/**
 * Rows drawn around `clusters` random centres: centre + noise·N(0, 1) per component. With noise ≈ 1
 * a row's cosine to its centre is ~0.7 and to its cluster mates ~0.5, like topic clusters of tickets.
 */
export function clusteredMatrix(rows: number, dim: number, clusters: number, noise: number, seed: number): Float32Array {
  const normal = gaussian(seededRandom(seed))
  const centres = new Float32Array(clusters * dim)
  for (let i = 0; i < centres.length; i++) centres[i] = normal()
  const out = new Float32Array(rows * dim)
  const pick = seededRandom(seed + 1)
  for (let r = 0; r < rows; r++) {
    const c = Math.floor(pick() * clusters)
    for (let j = 0; j < dim; j++) out[r * dim + j] = (centres[c * dim + j] as number) + noise * normal()
  }
  return out
}

export function row(matrix: Float32Array, r: number, dim: number): Float32Array {
  return matrix.subarray(r * dim, (r + 1) * dim)
}

/** Reference top-k in float64 by brute force: score desc, then id asc. */
export function bruteForceTopK(
  ids: ArrayLike<number>,
  matrix: Float32Array,
  dim: number,
  query: ArrayLike<number>,
  k: number
): { id: number; score: number }[] {
  const qn = Math.sqrt(Array.from(query).reduce((s, x) => s + x * x, 0))
  const all: { id: number; score: number }[] = []
  for (let r = 0; r < ids.length; r++) {
    let dot = 0
    let nn = 0
    for (let j = 0; j < dim; j++) {
      const x = matrix[r * dim + j] as number
      dot += x * (query[j] as number)
      nn += x * x
    }
    all.push({ id: ids[r] as number, score: dot / (Math.sqrt(nn) * qn) })
  }
  return all.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k)
}
