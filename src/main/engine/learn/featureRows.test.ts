import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { fitTfidf, transformTfidf } from '../inference/tfidf.ts'
import { buildFeatureRows, featureSpace, sortRowEntries } from './featureRows.ts'

describe('sortRowEntries', () => {
  it('keeps every row’s entries and puts them in increasing index order', () => {
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 29 }), { maxLength: 12 }), { maxLength: 8 }), (rowsOfIndices) => {
        const indptr = new Int32Array(rowsOfIndices.length + 1)
        rowsOfIndices.forEach((r, i) => (indptr[i + 1] = indptr[i]! + r.length))
        const indices = Int32Array.from(rowsOfIndices.flat())
        const values = Float32Array.from(indices, (f, j) => f * 100 + j)
        const sorted = sortRowEntries(indptr, indices, values, 30)
        rowsOfIndices.forEach((r, i) => {
          const got = Array.from(sorted.indices.subarray(indptr[i]!, indptr[i + 1]!))
          expect(got).toEqual([...r].sort((a, b) => a - b))
          const before = new Map(r.map((f, k) => [f, values[indptr[i]! + k]!]))
          got.forEach((f, k) => expect(sorted.values[indptr[i]! + k]).toBe(before.get(f)))
        })
      })
    )
  })
})

describe('featureSpace', () => {
  it('numbers features most frequent first, and rows built in it score as the unordered ones', () => {
    const texts = ['printer jam on floor two', 'printer out of toner', 'vpn drops every hour', 'printer offline again', 'reset my vpn token']
    const tfidf = fitTfidf(texts, { wordBits: 10, charBits: 10, minDf: 1, charMin: 3, charMax: 4 })
    const space = featureSpace(tfidf, 0, 1)
    const byIndex: number[] = []
    space.compact.forEach((c, f) => c >= 0 && (byIndex[c] = tfidf.idf[f]!))
    for (let i = 1; i < byIndex.length; i++) expect(byIndex[i]!).toBeGreaterThanOrEqual(byIndex[i - 1]!)
    const rows = buildFeatureRows(space, texts, undefined)
    for (let r = 0; r < texts.length; r++) for (let j = rows.indptr[r]! + 1; j < rows.indptr[r + 1]!; j++) expect(rows.indices[j]!).toBeGreaterThan(rows.indices[j - 1]!)
    const raw = transformTfidf(tfidf, texts)
    for (let r = 0; r < texts.length; r++) {
      const got = new Map<number, number>()
      for (let j = rows.indptr[r]!; j < rows.indptr[r + 1]!; j++) got.set(rows.indices[j]!, rows.values[j]!)
      const want = new Map<number, number>()
      for (let j = raw.indptr[r]!; j < raw.indptr[r + 1]!; j++) want.set(space.compact[raw.indices[j]!]!, raw.values[j]!)
      expect(got).toEqual(want)
    }
  })
})
