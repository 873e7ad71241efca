import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { headToOnnx, runOnnxHead } from './headOnnx.ts'
import { buildFeatureRows } from './featureRows.ts'
import { linearLogits, softmaxRows } from './softmaxRegression.ts'
import { trainHead } from './trainHead.ts'
import { itServiceSplitFile } from '../testShared.ts'

// Real it-service tickets where the shared datasets are, else fixture tickets in the same layout.
const rows = (parse(readFileSync(itServiceSplitFile('train.csv')), { columns: true }) as Record<string, string>[]).slice(0, 700)

describe('head as an ONNX graph', () => {
  it('onnxruntime computes the same probabilities as the JavaScript head', async () => {
    const texts = rows.map((r) => r.Document!)
    // A fake 16-d "embedding" derived from the text length keeps this test independent of model files.
    const dim = 16
    const vectors = new Float32Array(texts.length * dim).map((_, i) => Math.sin(i * 0.37 + (texts[Math.floor(i / dim)]?.length ?? 0)))
    const head = await trainHead({ texts, labels: rows.map((r) => r.Topic_group), embeddings: vectors, embeddingDim: dim }, { maxIterations: 25, refitOnAll: false, embeddingScale: 1.5 })
    const session = await ort.InferenceSession.create(headToOnnx(head))
    try {
      const sample = texts.slice(0, 50)
      const sampleVectors = vectors.subarray(0, 50 * dim)
      const fromOnnx = await runOnnxHead(session, head, [...sample.slice(0, 49), ''], sampleVectors)
      const js = linearLogits(head.linear.weights, buildFeatureRows(head.space, [...sample.slice(0, 49), ''], sampleVectors), head.classes.length)
      softmaxRows(js, head.classes.length)
      expect(fromOnnx.length).toBe(js.length)
      for (let i = 0; i < js.length; i++) expect(fromOnnx[i]).toBeCloseTo(js[i]!, 4)
    } finally {
      await session.release()
    }
  })
})
