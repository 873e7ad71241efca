import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { loadEmbedder } from '../inference/embedder.ts'
import { modelsForTests } from '../inference/testEncoder.ts'
import { itServiceSplitFile } from '../testShared.ts'
import { predictProbabilities, trainHead } from './trainHead.ts'

// The grid search on real tickets (it-service, or fixture tickets without ../shared) with an installed embedder.
const rows = (parse(readFileSync(itServiceSplitFile('train.csv')), { columns: true }) as Record<string, string>[]).slice(0, 600)

describe('choosing l2 and the embedding weight on validation', () => {
  it('keeps the point with the lowest validation log-loss, and predicts with its scale', async () => {
    const models = modelsForTests()
    const embedder = await loadEmbedder(models.defaultEmbedder, { modelsDir: models.dir })
    const texts = rows.map((r) => r.Document!)
    const vectors = await embedder.embed(texts)
    await embedder.close()
    const head = await trainHead(
      { texts, labels: rows.map((r) => r.Topic_group), embeddings: vectors, embeddingDim: embedder.dimension, embedder: embedder.name },
      { l2Grid: [1e-2, 1e-4], embeddingScaleGrid: [0.5, 2], refitOnAll: false, maxIterations: 30 }
    )
    const s = head.selection!
    // From the values nearest the defaults (l2 1e-5, weight 1): l2 1e-4 at weight 0.5 first, then outward.
    expect([s.curve[0]!.l2, s.curve[0]!.embeddingScale]).toEqual([1e-4, 0.5])
    expect(s.curve.length).toBeGreaterThanOrEqual(3)
    for (const p of s.curve) expect([[1e-2, 1e-4].includes(p.l2), [0.5, 2].includes(p.embeddingScale)]).toEqual([true, true])
    expect(new Set(s.curve.map((p) => `${p.l2}:${p.embeddingScale}`)).size).toBe(s.curve.length)
    const best = s.curve.reduce((a, b) => (b.nll < a.nll ? b : a))
    expect([s.l2, s.embeddingScale]).toEqual([best.l2, best.embeddingScale])
    expect(head.params.l2).toBe(s.l2)
    expect(head.space.embeddingScale).toBe(s.embeddingScale)
    // Without the refit the stored validation outcomes are this head's: predicting the same tickets again
    // (features built at the stored scale) must give the same probabilities.
    const val = Array.from(head.validationIndex)
    const again = await predictProbabilities(
      head,
      val.map((r) => texts[r]!),
      Float32Array.from(val.flatMap((r) => Array.from(vectors.subarray(r * embedder.dimension, (r + 1) * embedder.dimension))))
    )
    const stored = head.validationOutcomes.probabilities
    expect(again.length).toBe(stored.length)
    for (let i = 0; i < stored.length; i++) expect(again[i]!).toBeCloseTo(stored[i]!, 4)
  }, 120_000)
})
