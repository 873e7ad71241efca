import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EmbedderLoadError, listInstalledEmbedders, loadEmbedder } from './embedder.ts'
import type { ModelManifest } from './modelManifest.ts'
import { encodeOnnxModel } from './onnxGraph.ts'
import { modelsForTests, testEncoderManifest, writeTestEncoderFolder } from './testEncoder.ts'
import { SHARED_MODELS } from '../testShared.ts'

// Real models from the shared folder, as CI points TRIAGE_MODELS_DIR at them; where they are absent, the
// tests that are not about a real model's vectors run on the test encoder.
const models = modelsForTests()
const modelsDir = models.dir
/** An fp32 model with a MatMul to quantise: use-lite-en, else the test encoder. */
const fp32Model = models.real ? 'use-lite-en' : models.defaultEmbedder
const scratch = mkdtempSync(join(tmpdir(), 'triage-embedder-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function cosine(v: Float32Array, dim: number, a: number, b: number): number {
  let s = 0
  for (let k = 0; k < dim; k++) s += v[a * dim + k]! * v[b * dim + k]!
  return s
}

describe('listInstalledEmbedders', () => {
  it.skipIf(!SHARED_MODELS)('finds the three shared models, default first', () => {
    const names = listInstalledEmbedders(modelsDir).map((e) => e.name)
    expect(names[0]).toBe('all-minilm-l6-v2-int8')
    expect(names.sort()).toEqual(['all-minilm-l6-v2', 'all-minilm-l6-v2-int8', 'use-lite-en'])
  })
})

describe.skipIf(!SHARED_MODELS).each(['all-minilm-l6-v2-int8', 'use-lite-en'])('%s', (name) => {
  it('embeds real sentences as unit vectors that put a paraphrase closest', async () => {
    const e = await loadEmbedder(name, { modelsDir })
    try {
      expect(e.provider).toBe('cpu')
      const texts = ['How do I reset my password?', 'The printer on floor 3 is out of toner', 'I forgot my password and cannot log in', '', 'x'.repeat(50_000)]
      const v = await e.embed(texts)
      expect(v.length).toBe(texts.length * e.dimension)
      for (let r = 0; r < texts.length; r++) expect(cosine(v, e.dimension, r, r)).toBeCloseTo(1, 4)
      expect(cosine(v, e.dimension, 0, 2)).toBeGreaterThan(0.6)
      expect(cosine(v, e.dimension, 0, 2)).toBeGreaterThan(cosine(v, e.dimension, 0, 1) + 0.3)
      // Length-sorted batching must put every vector back at its own row.
      const alone = await e.embed([texts[2]!])
      expect(cosine(Float32Array.from([...alone, ...v.subarray(2 * e.dimension, 3 * e.dimension)]), e.dimension, 0, 1)).toBeGreaterThan(0.98)
    } finally {
      await e.close()
    }
  })
})

describe('windowed batching', () => {
  it('puts every vector back at its own row across several 2048-text windows', async () => {
    // fp32: int8 activations are scaled per batch, so a vector would depend (slightly) on its batch.
    const e = await loadEmbedder(fp32Model, { modelsDir, cpuInt8: false })
    try {
      const texts = Array.from({ length: 2100 }, (_, i) => `ticket ${i}: ${'jam '.repeat(i % 3)} vpn`)
      const all = await e.embed(texts)
      for (const row of [0, 2047, 2048, 2099]) {
        const alone = await e.embed([texts[row]!])
        for (let k = 0; k < e.dimension; k += 37) expect(all[row * e.dimension + k]).toBeCloseTo(alone[k]!, 4)
      }
    } finally {
      await e.close()
    }
  })
})

describe('provider fallback', () => {
  it('a forced CUDA provider falls back to CPU and says why', async () => {
    const e = await loadEmbedder(fp32Model, { modelsDir, provider: 'cuda' })
    expect(e.provider).toBe('cpu')
    expect(e.providerNotes.join(' ')).toMatch(/cuda/)
    await e.close()
  })
})

describe('broken installs give typed errors naming the file', () => {
  /** The test encoder's folder with `model` as its model.onnx, and a manifest with the checksums of those files. */
  function fakeInstall(name: string, model: Uint8Array, manifest: Partial<ModelManifest> = {}): ModelManifest {
    const dir = join(scratch, name)
    rmSync(dir, { recursive: true, force: true })
    writeTestEncoderFolder(dir)
    writeFileSync(join(dir, 'model.onnx'), model)
    return { ...testEncoderManifest(name, dir), ...manifest }
  }
  const real = fakeInstall('real', new Uint8Array([0]))

  it('not installed', async () => {
    await expect(loadEmbedder({ ...real, name: 'absent-model' }, { modelsDir: scratch })).rejects.toMatchObject({ code: 'MODEL_NOT_INSTALLED' })
  })

  it('checksum mismatch', async () => {
    const m = fakeInstall('tampered', new Uint8Array([1, 2, 3]))
    const wrong = { ...m, files: m.files.map((f) => (f.role === 'model' ? { ...f, sha256: '0'.repeat(64) } : f)) }
    const err = await loadEmbedder(wrong, { modelsDir: scratch }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(EmbedderLoadError)
    expect(err).toMatchObject({ code: 'MODEL_CHECKSUM_MISMATCH' })
    expect((err as Error).message).toMatch(/tampered\/model\.onnx: sha256 [0-9a-f]{64}/)
  })

  it('not an ONNX file at all', async () => {
    const m = fakeInstall('garbage', new TextEncoder().encode('this is not a protobuf'))
    await expect(loadEmbedder(m, { modelsDir: scratch })).rejects.toMatchObject({ code: 'MODEL_BROKEN', message: expect.stringMatching(/garbage\/model\.onnx/) })
  })

  it('a valid ONNX graph of the wrong shape', async () => {
    // Identity-like graph: its output is [batch, seq] int64, not a sentence embedding.
    const model = encodeOnnxModel({
      name: 'wrong',
      inputs: [
        { name: 'input_ids', type: 'int64', shape: ['b', 's'] },
        { name: 'attention_mask', type: 'int64', shape: ['b', 's'] }
      ],
      outputs: [{ name: 'sentence_embedding', type: 'int64', shape: ['b', 's'] }],
      nodes: [{ op: 'Add', inputs: ['input_ids', 'attention_mask'], outputs: ['sentence_embedding'] }]
    })
    const m = fakeInstall('wrong-shape', model, { output: 'sentence_embedding', pooling: 'pooled' })
    await expect(loadEmbedder(m, { modelsDir: scratch })).rejects.toMatchObject({ code: 'MODEL_SHAPE_MISMATCH', message: expect.stringMatching(/wrong-shape\/model\.onnx.*(width|failed)/) })
  })
})
