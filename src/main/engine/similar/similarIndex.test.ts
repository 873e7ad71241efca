import { describe, expect, it } from 'vitest'
import { SimilarIndex, type SimilarHit } from './similarIndex.ts'
import { isSimilarIndexError, type SimilarErrorCode } from './similarErrors.ts'
import { bruteForceTopK, clusteredMatrix, randomMatrix, row } from './testVectors.ts'

const idsFor = (n: number, offset = 1000): number[] => Array.from({ length: n }, (_, i) => offset + i * 3)

function expectCode(fn: () => unknown, code: SimilarErrorCode): void {
  let thrown: unknown
  try {
    fn()
  } catch (err) {
    thrown = err
  }
  expect(isSimilarIndexError(thrown, code), `expected ${code}, got ${String(thrown)}`).toBe(true)
}

/** Same ranking as float64 brute force, up to float32 rounding at near-ties. */
function expectMatchesReference(hits: SimilarHit[], reference: SimilarHit[]): void {
  expect(hits.length).toBe(reference.length)
  expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length)
  const kth = reference[reference.length - 1]?.score ?? 0
  for (let i = 0; i < hits.length; i++) {
    const hit = hits[i] as SimilarHit
    expect(Math.abs(hit.score - (reference[i] as SimilarHit).score)).toBeLessThan(1e-5)
    expect(hit.score).toBeGreaterThanOrEqual(kth - 1e-5)
  }
  const sameIds = hits.filter((h, i) => h.id === reference[i]?.id).length
  expect(sameIds).toBeGreaterThanOrEqual(hits.length - 1)
}

describe('SimilarIndex top-k', () => {
  for (const dim of [384, 512, 100]) {
    for (const seed of [1, 2, 3]) {
      it(`matches brute force in both modes (dim ${dim}, seed ${seed})`, () => {
        const n = 3000
        const ids = idsFor(n)
        const matrix = randomMatrix(n, dim, seed)
        const index = new SimilarIndex(dim)
        index.addMany(ids, matrix)
        const queries = randomMatrix(20, dim, seed + 100)
        for (let q = 0; q < 20; q++) {
          const query = row(queries, q, dim)
          for (const k of [1, 10, 50]) {
            const reference = bruteForceTopK(ids, matrix, dim, query, k)
            const exact = index.search(query, k, { exact: true })
            const approx = index.search(query, k)
            expectMatchesReference(exact, reference)
            // The default mode re-ranks with the same float32 arithmetic: identical, not just close.
            expect(approx).toEqual(exact)
          }
        }
      })
    }
  }

  it('breaks exact ties by lower id, the same way in both modes', () => {
    const dim = 384
    const n = 2000
    const matrix = randomMatrix(n, dim, 7)
    const ids = idsFor(n)
    const duplicateRows = Array.from({ length: 30 }, (_, i) => 100 + i * 37)
    const original = row(matrix, 5, dim).slice()
    for (const r of duplicateRows) matrix.set(original, r * dim)
    const index = new SimilarIndex(dim)
    // Added in reverse so slot order differs from id order.
    for (let r = n - 1; r >= 0; r--) index.add(ids[r] as number, row(matrix, r, dim))
    const tiedIds = [5, ...duplicateRows].map((r) => ids[r] as number).sort((a, b) => a - b)
    for (const exact of [true, false]) {
      const hits = index.search(original, 10, { exact })
      expect(hits.map((h) => h.id)).toEqual(tiedIds.slice(0, 10))
      for (const h of hits) expect(h.score).toBeCloseTo(1, 5)
    }
  })

  it('recalls ≥ 0.95 of the exact top 10 on clustered data (aims for 1.0)', () => {
    const dim = 384
    const n = 20_000
    const matrix = clusteredMatrix(n + 100, dim, 200, 1.0, 11)
    const ids = idsFor(n)
    const index = new SimilarIndex(dim)
    index.addMany(ids, matrix.subarray(0, n * dim))
    let found = 0
    for (let q = 0; q < 100; q++) {
      const query = row(matrix, n + q, dim)
      const exact = new Set(index.search(query, 10, { exact: true }).map((h) => h.id))
      found += index.search(query, 10).filter((h) => exact.has(h.id)).length
    }
    expect(found / 1000).toBeGreaterThanOrEqual(0.95)
    expect(found / 1000).toBe(1)
  })

  it('ranks well with int8 alone: the smallest re-rank pool (4·k) still finds the top 10', () => {
    // Guards the quantisation itself (per-row scales, rounding), which a large pool would hide.
    const dim = 384
    const n = 20_000
    const matrix = clusteredMatrix(n + 50, dim, 200, 1.0, 12)
    const index = new SimilarIndex(dim, { rerankCandidates: 1 })
    index.addMany(idsFor(n), matrix.subarray(0, n * dim))
    let found = 0
    let top1 = 0
    for (let q = 0; q < 50; q++) {
      const query = row(matrix, n + q, dim)
      const exact = index.search(query, 10, { exact: true }).map((h) => h.id)
      const truth = new Set(exact)
      found += index.search(query, 10).filter((h) => truth.has(h.id)).length
      if (index.search(query, 1)[0]?.id === exact[0]) top1++
    }
    expect(found / 500).toBeGreaterThanOrEqual(0.98)
    expect(top1 / 50).toBeGreaterThanOrEqual(0.95)
  })

  it('gives identical results with the JavaScript kernels (runtimes without WebAssembly SIMD)', () => {
    const dim = 384
    const n = 1500
    const matrix = clusteredMatrix(n, dim, 30, 1.0, 5)
    const wasm = new SimilarIndex(dim, { rerankCandidates: 64 })
    const js = new SimilarIndex(dim, { kernel: 'js', rerankCandidates: 64 })
    expect(wasm.kernel).toBe('wasm-simd')
    expect(js.kernel).toBe('js')
    wasm.addMany(idsFor(n), matrix)
    js.addMany(idsFor(n), matrix)
    const queries = randomMatrix(10, dim, 6)
    for (let q = 0; q < 10; q++) {
      for (const exact of [true, false]) {
        expect(js.search(row(queries, q, dim), 10, { exact })).toEqual(wasm.search(row(queries, q, dim), 10, { exact }))
      }
    }
  })

  it('keeps answering correctly while growing one add at a time', () => {
    const dim = 64
    const n = 5000
    const matrix = randomMatrix(n, dim, 21)
    const ids = idsFor(n)
    const index = new SimilarIndex()
    for (let r = 0; r < n; r++) {
      index.add(ids[r] as number, row(matrix, r, dim))
      if (r === 500 || r === n - 1) {
        const query = row(matrix, r, dim)
        expectMatchesReference(index.search(query, 5), bruteForceTopK(ids.slice(0, r + 1), matrix, dim, query, 5))
      }
    }
    expect(index.size).toBe(n)
    expect(index.dimension).toBe(dim)
  })
})

describe('SimilarIndex updates', () => {
  const dim = 384
  const n = 1200
  const build = (): { index: SimilarIndex; matrix: Float32Array; ids: number[] } => {
    const matrix = randomMatrix(n, dim, 31)
    const ids = idsFor(n)
    const index = new SimilarIndex(dim, { rerankCandidates: 64 })
    index.addMany(ids, matrix)
    return { index, matrix, ids }
  }

  it('upserts: re-adding an id replaces its vector without growing', () => {
    const { index, ids } = build()
    const id = ids[10] as number
    const replacement = randomMatrix(1, dim, 99)
    index.add(id, replacement)
    expect(index.size).toBe(n)
    const [top] = index.search(replacement, 1)
    expect(top?.id).toBe(id)
    expect(top?.score).toBeCloseTo(1, 5)
    index.addMany([id, 424242], new Float32Array([...replacement, ...replacement]))
    expect(index.size).toBe(n + 1)
  })

  it('removes: the id disappears, the moved row keeps its vector, and it can come back', () => {
    const { index, matrix, ids } = build()
    const lastId = ids[n - 1] as number
    const before = index.vectorOf(lastId)
    const removed = ids[3] as number
    const removedVector = row(matrix, 3, dim)
    expect(index.search(removedVector, 1)[0]?.id).toBe(removed)
    expect(index.remove(removed)).toBe(true)
    expect(index.remove(removed)).toBe(false)
    expect(index.has(removed)).toBe(false)
    expect(index.size).toBe(n - 1)
    for (const exact of [true, false]) {
      expect(index.search(removedVector, 20, { exact }).some((h) => h.id === removed)).toBe(false)
    }
    expect(index.vectorOf(lastId)).toEqual(before)
    expect(index.search(row(matrix, n - 1, dim), 1)[0]?.id).toBe(lastId)
    index.add(removed, removedVector)
    expect(index.search(removedVector, 1)[0]?.id).toBe(removed)
  })

  it('excludes ids and applies filters in both modes', () => {
    const { index, matrix, ids } = build()
    const query = row(matrix, 0, dim)
    const self = ids[0] as number
    const even = (id: number): boolean => id % 2 === 0
    for (const exact of [true, false]) {
      const hits = index.search(query, 10, { exact, excludeIds: new Set([self]), filter: even })
      expect(hits).toHaveLength(10)
      expect(hits.every((h) => h.id !== self && even(h.id))).toBe(true)
      expect(index.search(query, 10, { exact, filter: () => false })).toEqual([])
    }
  })

  it('returns everything when k exceeds the size, and nothing for k = 0', () => {
    const index = new SimilarIndex(3)
    index.add(1, new Float32Array([1, 0, 0]))
    index.add(2, new Float32Array([0, 1, 0]))
    index.add(3, new Float32Array([1, 1, 0]))
    const hits = index.search(new Float32Array([2, 0, 0]), 10)
    expect(hits.map((h) => h.id)).toEqual([1, 3, 2])
    expect(hits[0]?.score).toBeCloseTo(1, 6)
    expect(hits[1]?.score).toBeCloseTo(Math.SQRT1_2, 6)
    expect(hits[2]?.score).toBe(0)
    expect(index.search(new Float32Array([1, 0, 0]), 0)).toEqual([])
  })
})

describe('SimilarIndex errors', () => {
  it('refuses a query before any vectors exist with SIMILAR_EMPTY_INDEX', () => {
    expectCode(() => new SimilarIndex(384).search(new Float32Array(384).fill(1), 10), 'SIMILAR_EMPTY_INDEX')
    expectCode(() => new SimilarIndex().search(new Float32Array(384).fill(1), 10), 'SIMILAR_EMPTY_INDEX')
    const index = new SimilarIndex(2)
    index.add(1, new Float32Array([1, 0]))
    index.remove(1)
    expectCode(() => index.search(new Float32Array([1, 0]), 1), 'SIMILAR_EMPTY_INDEX')
  })

  it('refuses vectors of another dimension with SIMILAR_DIMENSION_MISMATCH', () => {
    const index = new SimilarIndex(384)
    expectCode(() => index.add(1, new Float32Array(512).fill(1)), 'SIMILAR_DIMENSION_MISMATCH')
    expectCode(() => index.addMany([1, 2], new Float32Array(2 * 512).fill(1)), 'SIMILAR_DIMENSION_MISMATCH')
    index.add(1, new Float32Array(384).fill(1))
    expectCode(() => index.search(new Float32Array(512).fill(1), 10), 'SIMILAR_DIMENSION_MISMATCH')
    expect(index.size).toBe(1)
  })

  it('refuses zero and non-finite vectors with SIMILAR_INVALID_VECTOR, leaving the index unchanged', () => {
    const index = new SimilarIndex()
    expectCode(() => index.add(1, new Float32Array(8)), 'SIMILAR_INVALID_VECTOR')
    expect(index.dimension).toBeUndefined()
    index.add(2, new Float32Array(8).fill(1))
    const withNaN = new Float32Array(8).fill(1)
    withNaN[3] = Number.NaN
    expectCode(() => index.add(3, withNaN), 'SIMILAR_INVALID_VECTOR')
    expectCode(() => index.addMany([4, 5], new Float32Array([...new Float32Array(8).fill(1), ...new Float32Array(8)])), 'SIMILAR_INVALID_VECTOR')
    expect(index.size).toBe(1)
    expectCode(() => index.search(new Float32Array(8), 1), 'SIMILAR_INVALID_VECTOR')
  })

  it('refuses bad arguments with SIMILAR_INVALID_ARGUMENT', () => {
    const index = new SimilarIndex(2)
    index.add(1, new Float32Array([1, 0]))
    expectCode(() => index.search(new Float32Array([1, 0]), -1), 'SIMILAR_INVALID_ARGUMENT')
    expectCode(() => index.search(new Float32Array([1, 0]), 2.5), 'SIMILAR_INVALID_ARGUMENT')
    expectCode(() => index.add(1.5, new Float32Array([1, 0])), 'SIMILAR_INVALID_ARGUMENT')
    expectCode(() => index.addMany([1, 2], new Float32Array(3)), 'SIMILAR_INVALID_ARGUMENT')
    expectCode(() => new SimilarIndex(0), 'SIMILAR_INVALID_ARGUMENT')
  })
})
