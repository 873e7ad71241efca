import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'csv-parse/sync'
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { listInstalledEmbedders, loadEmbedder } from './embedder.ts'
import { encodeOnnxModel } from './onnxGraph.ts'
import { OnnxQuantizeError, quantizeColumns, quantizeMatMulWeights, WEIGHT_LEVELS } from './onnxQuantize.ts'

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
    // 7-bit weights on a 32-deep sum: about 0.998; weights that saturate an AVX2 kernel gave 0.29.
    for (let r = 0; r < 4; r++) expect(cosine(exact, int8, N, r)).toBeGreaterThan(0.995)
  })

  it('keeps u8×s8 pair sums inside int16, where AVX2 kernels without VNNI would saturate 8-bit weights', () => {
    // What onnxruntime's u8s8 kernel does on such a CPU (vpmaddubsw, then 32-bit sums), written out, so a
    // machine with VNNI (exact either way) still shows the difference.
    const K = 64
    const N = 8
    const M = 4
    const w = new Float32Array(K * N).map((_, i) => Math.sin(i * 0.7) * (1 + (i % N)))
    const x = new Float32Array(M * K).map((_, i) => Math.cos(i * 0.3))
    const lo = Math.min(0, ...x)
    const xScale = (Math.max(0, ...x) - lo) / 255
    const xZero = Math.round(-lo / xScale)
    const a = Uint8Array.from(x, (v) => Math.min(255, Math.max(0, Math.round(v / xScale) + xZero)))
    const sat16 = (v: number): number => Math.max(-32768, Math.min(32767, v))
    const avx2 = (q: Int8Array, scale: Float32Array): Float32Array => {
      const y = new Float32Array(M * N)
      for (let r = 0; r < M; r++)
        for (let c = 0; c < N; c++) {
          let acc = 0
          let bSum = 0
          for (let k = 0; k < K; k += 2) {
            acc += sat16(a[r * K + k]! * q[k * N + c]! + a[r * K + k + 1]! * q[(k + 1) * N + c]!)
            bSum += q[k * N + c]! + q[(k + 1) * N + c]!
          }
          y[r * N + c] = (acc - xZero * bSum) * xScale * scale[c]!
        }
      return y
    }
    const exact = new Float32Array(M * N)
    for (let r = 0; r < M; r++) for (let c = 0; c < N; c++) for (let k = 0; k < K; k++) exact[r * N + c]! += x[r * K + k]! * w[k * N + c]!

    const ours = quantizeColumns({ rows: K, cols: N, data: w })
    expect(Math.max(...ours.q.map(Math.abs))).toBe(WEIGHT_LEVELS)
    expect(2 * 255 * WEIGHT_LEVELS).toBeLessThanOrEqual(32767)
    // Full 8-bit weights, as the rewrite made them before: the saturated sums wreck the result (cosines
    // of -0.81 to 0.14 here; 0.29 measured in onnxruntime on an AVX2 EPYC).
    const full = { q: new Int8Array(K * N), scale: ours.scale.map((s) => (s * WEIGHT_LEVELS) / 127) }
    w.forEach((v, i) => (full.q[i] = Math.round(v / full.scale[i % N]!)))
    for (let r = 0; r < M; r++) {
      expect(cosine(exact, avx2(ours.q, ours.scale), N, r)).toBeGreaterThan(0.995)
      expect(cosine(exact, avx2(full.q, full.scale), N, r)).toBeLessThan(0.95)
    }
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
