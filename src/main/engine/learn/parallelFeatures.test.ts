import { describe, expect, it } from 'vitest'
import { countFeatures, DEFAULT_TFIDF_PARAMS } from '../inference/tfidf.ts'
import { countFeaturesInParallel } from './parallelFeatures.ts'
import { seededRandom } from './trainingSplit.ts'

describe('counting features on two threads', () => {
  it('gives exactly the rows one thread gives, in order', async () => {
    const random = seededRandom(11)
    const words = ['printer', 'vpn', 'password', 'reset', 'laptop', 'screen', 'access', 'request', 'invoice', 'löschen', 'Zugang', '設定']
    // Enough text (≈ 2.6M characters) for the helper thread to take a part.
    const texts = Array.from({ length: 4400 }, (_, i) => Array.from({ length: 90 }, () => words[Math.floor(random() * words.length)]).join(' ') + ` ticket ${i}`)
    const one = countFeatures(texts, DEFAULT_TFIDF_PARAMS)
    const two = await countFeaturesInParallel(texts, DEFAULT_TFIDF_PARAMS, 2)
    expect(two.rows).toBe(texts.length)
    // Byte comparison: a deep equal of million-element arrays takes most of a minute.
    const same = (a: ArrayBufferView, b: ArrayBufferView): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
    expect(two.features.length).toBeGreaterThan(100_000)
    expect(same(two.indptr, one.indptr)).toBe(true)
    expect(same(two.features, one.features)).toBe(true)
    expect(same(two.counts, one.counts)).toBe(true)
  })
})
