import type { KernelKind, KernelPreference } from './dotKernels.ts'
import { rowDimension, SimilarIndexError } from './similarErrors.ts'
import { TopK } from './topK.ts'
import { VectorMatrix } from './vectorMatrix.ts'

export interface SimilarHit {
  id: number
  /** Cosine similarity in [-1, 1], computed in float32 (the same value in both modes). */
  score: number
}

export interface SimilarSearchOptions {
  /** Brute-force float32 scan of every vector instead of int8 scan + float32 re-rank. */
  exact?: boolean
  excludeIds?: ReadonlySet<number>
  /**
   * Keep only ids for which this returns true (e.g. labelled tickets, one queue). It is asked only
   * about ids that could still make the top k, so it must be a pure predicate, and must not search
   * this index from inside (the scan's scratch space is in use).
   */
  filter?: (id: number) => boolean
  /** Int8 candidates re-ranked in float32 for this search (at least 4·k), instead of the index's setting. */
  rerankCandidates?: number
}

export interface SimilarIndexOptions {
  /** 'auto' (default) uses WebAssembly SIMD where available, else the bit-identical JS kernels. */
  kernel?: KernelPreference
  /** How many int8 candidates are re-ranked in float32 (at least 4·k). Default 256. */
  rerankCandidates?: number
}

const DEFAULT_RERANK = 256

/**
 * Cosine top-k over ticket vectors of one dimension, held in memory (see VectorMatrix).
 *
 * Default search: scan the int8 copy (a quarter of the bytes of float32, SIMD), keep the best
 * `rerankCandidates`, and re-rank those exactly in float32. Int8 error on unit vectors is ~1e-3 in
 * score, far smaller than the gap between a top-10 neighbour and the 256th candidate, so the top 10
 * equal the exact scan's in practice. `exact: true` scans all float32 rows (the fallback setting).
 *
 * Contract: searching an empty index throws SIMILAR_EMPTY_INDEX (the caller shows "no tickets have
 * embeddings yet"); a non-empty index whose filter rejects everything returns []. k larger than the
 * number of matching vectors returns them all. Vectors of the wrong length throw
 * SIMILAR_DIMENSION_MISMATCH; zero or non-finite vectors throw SIMILAR_INVALID_VECTOR.
 * Without a dimension in the constructor, the first vector added fixes it.
 */
export class SimilarIndex {
  private matrix: VectorMatrix | undefined
  private dim: number | undefined
  private count = 0
  /** slot → ticket id; slots 0..count-1 are dense (remove moves the last row into the hole). */
  private slotIds = new Float64Array(0)
  private readonly slotOf = new Map<number, number>()
  private readonly kernelPreference: KernelPreference
  private readonly rerank: number

  constructor(dimension?: number, options: SimilarIndexOptions = {}) {
    this.kernelPreference = options.kernel ?? 'auto'
    this.rerank = options.rerankCandidates ?? DEFAULT_RERANK
    if (!(Number.isInteger(this.rerank) && this.rerank > 0)) {
      throw new SimilarIndexError('SIMILAR_INVALID_ARGUMENT', `rerankCandidates must be a positive integer, got ${this.rerank}.`)
    }
    if (dimension !== undefined) {
      this.checkDimension(dimension)
      this.init(dimension)
    }
  }

  get size(): number {
    return this.count
  }
  get dimension(): number | undefined {
    return this.dim
  }
  /** Which dot-product kernels run the scans; undefined until the dimension is known. */
  get kernel(): KernelKind | undefined {
    return this.matrix?.kernels.kind
  }

  has(id: number): boolean {
    return this.slotOf.has(id)
  }

  /** Makes room for `rows` vectors in one growth (loaders know the count up front). */
  reserve(rows: number): void {
    if (this.matrix) this.ensureCapacity(rows)
  }

  /** Inserts or replaces the vector of `id`; other rows are untouched. */
  add(id: number, vector: ArrayLike<number>): void {
    checkId(id)
    this.checkDimension(vector.length)
    const invNorm = inverseNorm(vector, 0, vector.length, `ticket ${id}`)
    this.init(vector.length)
    this.store(id, vector, 0, invNorm)
  }

  /** Inserts or replaces rows of a row-major ids.length × dimension matrix. All-or-nothing: rows are checked first. */
  addMany(ids: ArrayLike<number>, matrix: ArrayLike<number>): void {
    if (ids.length === 0) return
    const dim = rowDimension(ids.length, matrix.length)
    this.checkDimension(dim)
    const invNorms = new Float64Array(ids.length)
    for (let r = 0; r < ids.length; r++) {
      checkId(ids[r] as number)
      invNorms[r] = inverseNorm(matrix, r * dim, dim, `ticket ${ids[r]}`)
    }
    this.init(dim)
    this.ensureCapacity(this.count + ids.length)
    for (let r = 0; r < ids.length; r++) this.store(ids[r] as number, matrix, r * dim, invNorms[r] as number)
  }

  /** Removes the vector of `id`; false if it was not there. O(dimension): the last row fills the hole. */
  remove(id: number): boolean {
    const slot = this.slotOf.get(id)
    if (slot === undefined || !this.matrix) return false
    const last = this.count - 1
    if (slot !== last) {
      this.matrix.copyRow(last, slot)
      const movedId = this.slotIds[last] as number
      this.slotIds[slot] = movedId
      this.slotOf.set(movedId, slot)
    }
    this.slotOf.delete(id)
    this.count = last
    return true
  }

  /** The stored (normalised) vector of `id`, or undefined. */
  vectorOf(id: number): Float32Array | undefined {
    const slot = this.slotOf.get(id)
    return slot === undefined || !this.matrix ? undefined : this.matrix.row(slot)
  }

  search(query: ArrayLike<number>, k: number, options: SimilarSearchOptions = {}): SimilarHit[] {
    const matrix = this.matrix
    if (this.count === 0 || !matrix) {
      throw new SimilarIndexError(
        'SIMILAR_EMPTY_INDEX',
        'No ticket has an embedding for this model yet, so there is nothing to compare with. Import tickets and let embedding finish, then search again.'
      )
    }
    if (!(Number.isInteger(k) && k >= 0)) {
      throw new SimilarIndexError('SIMILAR_INVALID_ARGUMENT', `k must be a whole number ≥ 0, got ${k}.`)
    }
    if (query.length !== this.dim) {
      throw new SimilarIndexError(
        'SIMILAR_DIMENSION_MISMATCH',
        `The query vector has ${query.length} dimensions but the index holds ${this.dim}-dimensional vectors; it was probably made by a different embedder.`
      )
    }
    const invNorm = inverseNorm(query, 0, query.length, 'the query')
    if (k === 0) return []
    matrix.setQuery(query, invNorm)
    const candidates = Math.max(options.rerankCandidates ?? this.rerank, 4 * k)
    const hits = options.exact || candidates >= this.count ? this.exactTopK(matrix, k, options) : this.approxTopK(matrix, k, candidates, options)
    return hits.map(({ id, score }) => ({ id, score }))
  }

  private exactTopK(matrix: VectorMatrix, k: number, options: SimilarSearchOptions): { id: number; score: number }[] {
    const n = this.count
    matrix.kernels.scanF32(matrix.queryF32, matrix.matrixF32, n, matrix.scoresF32)
    const scores = matrix.float32Scores(n)
    const top = new TopK(Math.min(k, n))
    const ids = this.slotIds
    const { excludeIds, filter } = options
    for (let slot = 0; slot < n; slot++) {
      const s = scores[slot] as number
      if (s < top.floor) continue
      const id = ids[slot] as number
      if ((excludeIds && excludeIds.has(id)) || (filter && !filter(id))) continue
      top.offer(s, slot, id)
    }
    return top.sorted()
  }

  private approxTopK(matrix: VectorMatrix, k: number, candidates: number, options: SimilarSearchOptions): { id: number; score: number }[] {
    const n = this.count
    matrix.kernels.scanI8(matrix.queryI16, matrix.matrixI8, n, matrix.scoresI8)
    const raw = matrix.int8Scores(n)
    const scales = matrix.scales
    const ids = this.slotIds
    const { excludeIds, filter } = options
    const pool = new TopK(candidates)
    for (let slot = 0; slot < n; slot++) {
      const s = (raw[slot] as number) * (scales[slot] as number)
      if (s < pool.floor) continue
      const id = ids[slot] as number
      if ((excludeIds && excludeIds.has(id)) || (filter && !filter(id))) continue
      pool.offer(s, slot, id)
    }
    const m = pool.size
    const slots = matrix.slotScratch(m)
    slots.set(pool.slotsView())
    matrix.kernels.gatherF32(matrix.queryF32, matrix.matrixF32, matrix.slotsF32, m, matrix.scoresF32)
    const exact = matrix.float32Scores(m)
    const top = new TopK(Math.min(k, m))
    for (let i = 0; i < m; i++) {
      const slot = slots[i] as number
      top.offer(exact[i] as number, slot, ids[slot] as number)
    }
    return top.sorted()
  }

  /** Fixes the dimension on first use (checkDimension has vetted it). */
  private init(dim: number): void {
    if (this.dim !== undefined) return
    this.dim = dim
    this.matrix = new VectorMatrix(dim, this.kernelPreference)
    this.slotIds = new Float64Array(this.matrix.capacity)
  }

  private checkDimension(dim: number): void {
    if (this.dim === undefined) {
      if (!(Number.isInteger(dim) && dim > 0)) {
        throw new SimilarIndexError('SIMILAR_INVALID_ARGUMENT', `Vector dimension must be a positive integer, got ${dim}.`)
      }
    } else if (dim !== this.dim) {
      throw new SimilarIndexError(
        'SIMILAR_DIMENSION_MISMATCH',
        `This vector has ${dim} dimensions but the index holds ${this.dim}-dimensional vectors; it was probably made by a different embedder.`
      )
    }
  }

  private ensureCapacity(rows: number): void {
    const matrix = this.matrix as VectorMatrix
    if (rows <= matrix.capacity) return
    matrix.ensureCapacity(rows)
    const ids = new Float64Array(matrix.capacity)
    ids.set(this.slotIds.subarray(0, this.count))
    this.slotIds = ids
  }

  private store(id: number, src: ArrayLike<number>, offset: number, invNorm: number): void {
    let slot = this.slotOf.get(id)
    if (slot === undefined) {
      slot = this.count
      this.ensureCapacity(slot + 1)
      this.count++
      this.slotOf.set(id, slot)
      this.slotIds[slot] = id
    }
    ;(this.matrix as VectorMatrix).writeRow(slot, src, offset, invNorm)
  }
}

function checkId(id: number): void {
  if (!Number.isSafeInteger(id)) {
    throw new SimilarIndexError('SIMILAR_INVALID_ARGUMENT', `Ticket ids must be integers, got ${id}.`)
  }
}

/** 1/‖v‖ over v[offset .. offset+dim), or a SIMILAR_INVALID_VECTOR error for zero or non-finite vectors. */
function inverseNorm(v: ArrayLike<number>, offset: number, dim: number, what: string): number {
  let sum = 0
  for (let j = 0; j < dim; j++) {
    const x = v[offset + j] as number
    sum += x * x
  }
  if (!Number.isFinite(sum)) {
    throw new SimilarIndexError('SIMILAR_INVALID_VECTOR', `The vector of ${what} contains NaN or infinite values; re-embed it.`)
  }
  if (sum === 0) {
    throw new SimilarIndexError('SIMILAR_INVALID_VECTOR', `The vector of ${what} is all zeros, so it has no direction to compare; re-embed it.`)
  }
  return 1 / Math.sqrt(sum)
}
