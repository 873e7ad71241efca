import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { DEFAULT_TFIDF_PARAMS, HashedCounter, deserialiseTfidf, fitTfidf, serialiseTfidf, transformTfidf } from './tfidf.ts'

import { itServiceSplitFile } from '../testShared.ts'

// Real it-service tickets where the shared datasets are, else fixture tickets in the same layout.
const rows = (parse(readFileSync(itServiceSplitFile('train.csv')), { columns: true }) as Record<string, string>[]).slice(0, 800)
const texts = rows.map((r) => r.Document ?? '')

function rowNorm(x: ReturnType<typeof transformTfidf>, r: number): number {
  let s = 0
  for (let j = x.indptr[r]!; j < x.indptr[r + 1]!; j++) s += x.values[j]! ** 2
  return Math.sqrt(s)
}

function cosine(x: ReturnType<typeof transformTfidf>, a: number, b: number): number {
  const m = new Map<number, number>()
  for (let j = x.indptr[a]!; j < x.indptr[a + 1]!; j++) m.set(x.indices[j]!, x.values[j]!)
  let s = 0
  for (let j = x.indptr[b]!; j < x.indptr[b + 1]!; j++) s += (m.get(x.indices[j]!) ?? 0) * x.values[j]!
  return s
}

describe('hashed TF-IDF featuriser', () => {
  const model = fitTfidf(texts)

  it('gives unit-norm sparse rows for real ticket text and an empty row for empty text', () => {
    const x = transformTfidf(model, [...texts.slice(0, 50), '', '!!! ???'])
    for (let r = 0; r < 50; r++) expect(rowNorm(x, r)).toBeCloseTo(1, 5)
    expect(x.indptr[51]! - x.indptr[50]!).toBe(0)
    expect(x.indptr[52]! - x.indptr[51]!).toBe(0)
    for (const v of x.values) expect(Number.isFinite(v)).toBe(true)
  })

  it('ranks a typo variant of a ticket closer than an unrelated ticket (character n-grams)', () => {
    const x = transformTfidf(model, ['password reset request for my account', 'pasword resett requested for account', 'printer toner cartridge replacement'])
    expect(cosine(x, 0, 1)).toBeGreaterThan(0.3)
    expect(cosine(x, 0, 1)).toBeGreaterThan(2 * cosine(x, 0, 2))
  })

  it('handles a 50,000-character body quickly', () => {
    const t = performance.now()
    const x = transformTfidf(model, ['disk full '.repeat(5000)])
    expect(performance.now() - t).toBeLessThan(2000)
    expect(rowNorm(x, 0)).toBeCloseTo(1, 5)
  })

  it('survives serialisation unchanged', () => {
    const back = deserialiseTfidf(JSON.parse(JSON.stringify(serialiseTfidf(model))))
    const a = transformTfidf(model, texts.slice(0, 20))
    const b = transformTfidf(back, texts.slice(0, 20))
    expect(Array.from(b.indices)).toEqual(Array.from(a.indices))
    expect(Array.from(b.values)).toEqual(Array.from(a.values))
  })

  it('hashes a text to the same features as every earlier version, so stored heads keep working', () => {
    // Computed with the earlier Map-based counter (heads trained then store these indices): word, bigram and char_wb 3–5 features.
    const counter = new HashedCounter(DEFAULT_TFIDF_PARAMS)
    const n = counter.count('VPN drops, VPN!')
    const counted = Array.from(counter.features.subarray(0, n), (f) => [f, counter.counts[f]])
    expect(counted).toEqual([
      [102868, 2], [98159, 1], [314388, 2], [445386, 2], [481324, 2], [514473, 2], [402137, 2], [269592, 2], [135238, 1], [218079, 1], [379152, 1],
      [497289, 1], [351163, 1], [472726, 1], [481145, 1], [399198, 1], [415976, 1], [310703, 1], [480645, 1], [387149, 1], [341562, 1], [515442, 1]
    ])
  })
})
