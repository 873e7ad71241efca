import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'csv-parse/sync'
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { listInstalledEmbedders, loadEmbedder } from './embedder.ts'
import { encodeOnnxModel } from './onnxGraph.ts'
import { OnnxQuantizeError, quantizeMatMulWeights } from './onnxQuantize.ts'

const SPLIT = new URL('../../../../../shared/datasets/it-service-tickets/split/', import.meta.url).pathname
const lite = listInstalledEmbedders().find((e) => e.name === 'use-lite-en')

function cosine(a: Float32Array, b: Float32Array, dim: number, row: number): number {
  let dot = 0
  let na = 0
  let nb = 0
  for (let k = 0; k < dim; k++) {
    const x = a[row * dim + k]!
    const y = b[row * dim + k]!
    dot += x * y
    na += x * x
    nb += y * y
  }
  return dot / Math.sqrt(na * nb)
}

describe('int8 MatMul weights at load', () => {
  it('leaves a graph without constant MatMul weights as it was, and refuses bytes that are not a model', () => {
    const graph = encodeOnnxModel({
      name: 'softmax only',
      inputs: [{ name: 'x', type: 'float', shape: ['batch', 3] }],
      outputs: [{ name: 'y', type: 'float', shape: ['batch', 3] }],
      nodes: [{ op: 'Softmax', inputs: ['x'], outputs: ['y'], attributes: { axis: -1 } }]
    })
    const same = quantizeMatMulWeights(graph)
    expect(same.replaced).toBe(0)
    expect(same.bytes).toBe(graph)
    expect(() => quantizeMatMulWeights(new TextEncoder().encode('this is not an onnx file'))).toThrow(OnnxQuantizeError)
  })

  it('runs a small MatMul graph on int8 weights close to the float result', async () => {
    const K = 32
    const N = 8
    const weights = new Float32Array(K * N).map((_, i) => Math.sin(i * 0.7) * (1 + (i % N)))
    const model = encodeOnnxModel({
      name: 'one matmul',
      inputs: [{ name: 'x', type: 'float', shape: ['batch', K] }],
      outputs: [{ name: 'y', type: 'float', shape: ['batch', N] }],
      initializers: [{ name: 'W', dims: [K, N], data: weights }],
      nodes: [{ op: 'MatMul', inputs: ['x', 'W'], outputs: ['y'] }]
    })
    const { bytes, replaced } = quantizeMatMulWeights(model)
    expect(replaced).toBe(1)
    const x = new Float32Array(4 * K).map((_, i) => Math.cos(i * 0.3))
    const run = async (m: Uint8Array) => {
      const s = await ort.InferenceSession.create(m)
      const out = (await s.run({ x: new ort.Tensor('float32', x, [4, K]) })).y!.data as Float32Array
      await s.release()
      return out
    }
    const exact = await run(model)
    const int8 = await run(bytes)
    for (let r = 0; r < 4; r++) expect(cosine(exact, int8, N, r)).toBeGreaterThan(0.999)
  })

  it.skipIf(!lite)('use-lite-en on int8 weights gives nearly the fp32 vectors of real tickets', async () => {
    const file = resolve(lite!.dir, 'model.onnx')
    const { replaced, bytes } = quantizeMatMulWeights(readFileSync(file))
    expect(replaced).toBe(10)
    expect(bytes.length).toBeLessThan(readFileSync(file).length * 0.6)
    const texts = (parse(readFileSync(join(SPLIT, 'test.csv')), { columns: true }) as Record<string, string>[]).slice(0, 60).map((r) => r.Document!)
    // The loader quantises on CPU because the manifest says so; the GPU-less fp32 path is the reference.
    const int8 = await loadEmbedder('use-lite-en', { provider: 'cpu' })
    expect(int8.providerNotes.join(' ')).toMatch(/10 weight matrices quantised to int8 at load/)
    const fp32 = await loadEmbedder({ ...(await import('./modelManifest.ts')).manifestByName('use-lite-en'), cpuInt8: false }, { provider: 'cpu' })
    try {
      const a = await int8.embed(texts)
      const b = await fp32.embed(texts)
      let worst = 1
      for (let r = 0; r < texts.length; r++) worst = Math.min(worst, cosine(a, b, 512, r))
      expect(worst).toBeGreaterThan(0.995)
    } finally {
      await int8.close()
      await fp32.close()
    }
  })
})
