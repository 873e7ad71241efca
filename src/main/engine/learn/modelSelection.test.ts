import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { loadEmbedder } from '../inference/embedder.ts'
import { modelsForTests } from '../inference/testEncoder.ts'
import { itServiceSplitFile } from '../testShared.ts'
import { gridPath } from './modelSelection.ts'
import { predictProbabilities, trainHead } from './trainHead.ts'

// The grid search on real tickets (it-service, or fixture tickets without ../shared) with an installed embedder.
const rows = (parse(readFileSync(itServiceSplitFile('train.csv')), { columns: true }) as Record<string, string>[]).slice(0, 600)

describe('choosing l2 and the embedding weight on validation', () => {
  it('walks l2 from strongest to weakest per embedding scale', () => {
    expect(gridPath([1e-5, 1e-3, 1e-4], [1, 2], true).map((p) => `${p.embeddingScale}:${p.l2}`)).toEqual(['1:0.001', '1:0.0001', '1:0.00001', '2:0.001', '2:0.0001', '2:0.00001'])
    expect(gridPath([1e-4], [1, 2], false)).toEqual([{ l2: 1e-4, embeddingScale: 1 }])
  })

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
    expect(s.curve.map((p) => [p.embeddingScale, p.l2])).toEqual([[0.5, 1e-2], [0.5, 1e-4], [2, 1e-2], [2, 1e-4]])
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
