import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createEngine } from '../api/engine.ts'
import { EngineError } from '../../../shared/errors.ts'
import type { WireEvent } from '../../../shared/contract.ts'
import type { JobProgress } from '../../../shared/domain.ts'
import type { InstalledModel } from '../../../shared/models.ts'
import { installMessage, installModelFolder } from './installModel.ts'
import { listInstalledEmbedders, loadEmbedder } from './embedder.ts'
import { quantizeMatMulWeights } from './onnxQuantize.ts'
import { fileOfRole, manifestByName } from './modelManifest.ts'
import { sha256OfBytes } from './fileChecksum.ts'
import { SHARED_MODELS } from '../testShared.ts'

// The real use-lite-en folder from the shared models (the smallest of them), as a user would copy it.
const source = resolve(SHARED_MODELS ?? '.', 'use-lite-en')
const scratch = mkdtempSync(join(tmpdir(), 'triage-install-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** A folder with the model's files, the big ones linked, and `tamper` written over one small file. */
function folderLike(name: string, tamper?: { file: string; text: string }): string {
  const dir = join(scratch, name)
  mkdirSync(dir)
  for (const f of manifestByName('use-lite-en').files) {
    // Copies, not links: an install refuses a link that leads out of the folder it was given.
    if (f.path === tamper?.file) writeFileSync(join(dir, f.path), tamper.text)
    else copyFileSync(join(source, f.path), join(dir, f.path))
  }
  return dir
}

async function failure(p: Promise<unknown>): Promise<EngineError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e
  )
  if (!(err instanceof EngineError)) throw new Error(`expected an EngineError, got ${String(err)}`)
  return err
}

// Copies of the real models, as users copy them (the test encoder's own install is in testEncoder.test.ts).
describe.skipIf(!SHARED_MODELS)('installModelFolder', () => {
  it('recognises the model by its manifest, checks it, copies it and it then loads from the data folder', async () => {
    const modelsDir = join(scratch, 'data-models')
    const installed = await installModelFolder(folderLike('good'), modelsDir)
    expect(installed.manifest.name).toBe('use-lite-en')
    expect(installed.folder).toBe(join(modelsDir, 'use-lite-en'))
    expect(installed.bytes).toBe(manifestByName('use-lite-en').files.reduce((s, f) => s + f.bytes, 0))
    // Real files, not the links: the stick can be unplugged afterwards.
    expect(readdirSync(modelsDir)).toEqual(['use-lite-en'])
    const embedder = await loadEmbedder('use-lite-en', { dir: installed.folder })
    const v = await embedder.embed(['printer out of toner'])
    await embedder.close()
    expect(v).toHaveLength(512)
  })

  it('refuses a folder whose file fails its checksum, naming the file, and leaves the installed model alone', async () => {
    const modelsDir = join(scratch, 'data-models')
    const err = await failure(installModelFolder(folderLike('tampered', { file: 'tokenizer_config.json', text: '{"x": 1}' }), modelsDir))
    expect(err.code).toBe('MODEL_INVALID')
    expect(err.message).toMatch(/holds use-lite-en, but its files do not match: .*tokenizer_config\.json: \d+ bytes, the manifest of use-lite-en expects 192/)
    expect(existsSync(join(modelsDir, 'use-lite-en', 'model.onnx'))).toBe(true)
    expect(readdirSync(modelsDir)).toEqual(['use-lite-en'])
  })

  it('refuses a folder that is no sentence encoder, saying why, and a missing folder', async () => {
    const garbage = join(scratch, 'garbage')
    mkdirSync(garbage)
    writeFileSync(join(garbage, 'model.onnx'), 'not a model')
    const noTokenizer = await failure(installModelFolder(garbage, join(scratch, 'other')))
    expect(noTokenizer.code).toBe('MODEL_INVALID')
    expect(noTokenizer.message).toMatch(/has model\.onnx but no tokenizer\.json .*not one of the models the app knows either: all-minilm-l6-v2-int8/)
    copyFileSync(join(source, 'tokenizer.json'), join(garbage, 'tokenizer.json'))
    const broken = await failure(installModelFolder(garbage, join(scratch, 'other')))
    expect(broken.message).toMatch(/garbage\/model\.onnx does not load in onnxruntime/)
    writeFileSync(join(garbage, 'model.onnx_data'), 'weights')
    expect((await failure(installModelFolder(garbage, join(scratch, 'other')))).message).toMatch(/keeps its weights in model\.onnx_data; the app installs single-file models only/)
    const empty = join(scratch, 'empty')
    mkdirSync(empty)
    expect((await failure(installModelFolder(empty, join(scratch, 'other')))).message).toMatch(/holds no \.onnx file/)
    const missing = await failure(installModelFolder(join(scratch, 'nowhere'), join(scratch, 'other')))
    expect(missing.code).toBe('FILE_NOT_FOUND')
    expect(existsSync(join(scratch, 'other'))).toBe(false)
  })

  it('installs a model it has no manifest for, describing it from its files, and the app then uses it by name', async () => {
    // A real encoder with bytes no committed manifest has: the fp32 MiniLM rewritten to int8 weights, laid
    // out as Hugging Face does (onnx/model.onnx), with its model card and sentence-transformers config.
    const minilm = resolve(source, '..', 'all-minilm-l6-v2')
    const dir = join(scratch, 'My MiniLM')
    mkdirSync(join(dir, 'onnx'), { recursive: true })
    writeFileSync(join(dir, 'onnx', 'model.onnx'), quantizeMatMulWeights(readFileSync(join(minilm, 'model.onnx'))).bytes)
    for (const f of ['tokenizer.json', 'tokenizer_config.json', 'config.json']) copyFileSync(join(minilm, f), join(dir, f))
    writeFileSync(join(dir, 'sentence_bert_config.json'), '{"max_seq_length": 200, "do_lower_case": false}')
    writeFileSync(join(dir, 'README.md'), '---\nlicense: apache-2.0\ntags:\n- sentence-transformers\n---\n# a model\n')
    const modelsDir = join(scratch, 'custom-models')
    const installed = await installModelFolder(dir, modelsDir)
    expect(installed.known).toBe(false)
    expect(installed.manifest).toMatchObject({
      name: 'my-minilm',
      inputs: ['input_ids', 'attention_mask', 'token_type_ids'],
      output: 'last_hidden_state',
      pooling: 'mean',
      dimension: 384,
      maxTokens: 200,
      licence: 'apache-2.0'
    })
    expect(readdirSync(installed.folder).sort()).toEqual(['manifest.json', 'model.onnx', 'tokenizer.json', 'tokenizer_config.json'])
    // Its weights are int8 already: nothing to rewrite at load.
    expect(installed.manifest).toMatchObject({ cpuInt8: false, cpuInt8Note: expect.stringMatching(/^no fp32 MatMul weights to quantise/) as unknown })
    expect(installMessage(installed, false)).toMatch(/^Installed my-minilm, a model the app has no manifest for: 384-d vectors from the mean of its token states, at most 200 tokens/)

    // Found by name through its own manifest, and it embeds as the model it is (int8 weights of MiniLM).
    expect(listInstalledEmbedders(modelsDir).map((e) => e.name)).toContain('my-minilm')
    expect(fileOfRole(manifestByName('my-minilm', modelsDir), 'model')?.sha256).toBe(sha256OfBytes(readFileSync(join(installed.folder, 'model.onnx'))))
    const texts = ['printer out of toner on the third floor', 'VPN drops every few minutes since the update']
    const custom = await loadEmbedder('my-minilm', { modelsDir })
    const reference = await loadEmbedder('all-minilm-l6-v2', { cpuInt8: false, modelsDir: resolve(source, '..') })
    const [a, b] = [await custom.embed(texts), await reference.embed(texts)]
    await Promise.all([custom.close(), reference.close()])
    for (let r = 0; r < texts.length; r++) {
      let dot = 0
      for (let k = 0; k < 384; k++) dot += a[r * 384 + k]! * b[r * 384 + k]!
      expect(dot).toBeGreaterThan(0.99)
    }

    // Damage after install is caught by the checksums written at install.
    writeFileSync(join(installed.folder, 'tokenizer_config.json'), '{}')
    await expect(loadEmbedder('my-minilm', { modelsDir })).rejects.toMatchObject({ code: 'MODEL_CHECKSUM_MISMATCH' })
  })

  it('runs an fp32 model it has no manifest for on int8 weights when they stay within cosine 0.99 of fp32', async () => {
    // use-lite-en's fp32 file with a doc_string appended to its ModelProto (field 6): the same graph and
    // weights, bytes no manifest lists. (The fp32 MiniLM, checked the same way, drifts to 0.9885 on the
    // German and Spanish probes, and stays fp32.)
    const dir = join(scratch, 'fp32-encoder')
    mkdirSync(dir)
    const note = Buffer.from('a copy for the test')
    writeFileSync(join(dir, 'model.onnx'), Buffer.concat([readFileSync(join(source, 'model.onnx')), Buffer.from([0x32, note.length]), note]))
    for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(source, f), join(dir, f))
    const installed = await installModelFolder(dir, join(scratch, 'fp32-models'))
    expect(installed.known).toBe(false)
    expect(installed.manifest.cpuInt8).toBe(true)
    const cosine = Number(/min cosine (0\.\d+) to fp32 on 10 probe tickets in 5 languages/.exec(installed.manifest.cpuInt8Note ?? '')?.[1])
    expect(cosine).toBeGreaterThanOrEqual(0.99)
    expect(installMessage(installed, false)).toMatch(/on CPU it runs on int8 weights, checked against fp32 at install/)
    const embedder = await loadEmbedder('fp32-encoder', { modelsDir: join(scratch, 'fp32-models') })
    expect(embedder.providerNotes.join(' ')).toMatch(/weight matrices quantised to int8 at load/)
    await embedder.close()
  })

  it('reads a pooled sentence output when the model has one, and takes the name asked for', async () => {
    const dir = join(scratch, 'pooled')
    mkdirSync(dir)
    writeFileSync(join(dir, 'encoder.onnx'), quantizeMatMulWeights(readFileSync(join(source, 'model.onnx'))).bytes)
    copyFileSync(join(source, 'tokenizer.json'), join(dir, 'tokenizer.json'))
    // An E5-style model card: inputs start with "query: " or "passage: ".
    writeFileSync(join(dir, 'README.md'), 'Each input text should start with "query: " or "passage: ", even for non-English texts.\n')
    const installed = await installModelFolder(dir, join(scratch, 'pooled-models'), { name: 'USE lite (int8)' })
    // use-lite-en has both outputs: its own sentence vector is the one to use.
    expect(installed.manifest).toMatchObject({ name: 'use-lite-int8', output: 'sentence_embedding', pooling: 'pooled', dimension: 512, maxTokens: 512, textPrefix: 'query: ' })
    expect(installed.manifest.files.map((f) => f.path)).toEqual(['model.onnx', 'tokenizer.json'])
    expect(installMessage(installed, true)).toMatch(/each text prefixed with "query: "/)
    // The prefix is put before every text: the same vector as the model given "query: …" without one.
    const prefixed = await loadEmbedder(installed.manifest, { dir: installed.folder })
    const { textPrefix: _, ...bare } = installed.manifest
    const plain = await loadEmbedder(bare, { dir: installed.folder })
    const [a, b] = [await prefixed.embed(['printer jammed']), await plain.embed(['query: printer jammed'])]
    await Promise.all([prefixed.close(), plain.close()])
    expect(Array.from(a)).toEqual(Array.from(b))
  })

  it('is a job of the engine, with progress, that can be cancelled leaving nothing behind', async () => {
    const dir = join(scratch, 'engine')
    mkdirSync(dir)
    const engine = createEngine({ dbPath: join(dir, 'db.sqlite'), modelsDir: join(dir, 'models') })
    const events: WireEvent[] = []
    engine.onEvent((e) => events.push(e))
    const ended = (jobId: string): Promise<WireEvent> =>
      new Promise((resolve) => {
        const look = setInterval(() => {
          const end = events.find((e) => (e.payload as { jobId?: string }).jobId === jobId && (e.event === 'job.done' || e.event === 'job.failed'))
          if (end) {
            clearInterval(look)
            resolve(end)
          }
        }, 5)
      })
    try {
      // Cancelled at once: the job ends failed, saying so, and no folder (partial or whole) is left.
      const first = await engine.call('model.install', { path: folderLike('cancelled') })
      await engine.call('job.cancel', { jobId: first.jobId })
      const stopped = await ended(first.jobId)
      expect(stopped.event).toBe('job.failed')
      expect((stopped.payload as { error: { message: string } }).error.message).toMatch(/was cancelled; nothing was changed|was cancelled; the installed models are as they were/)
      expect(existsSync(join(dir, 'models')) ? readdirSync(join(dir, 'models')) : []).toEqual([])

      const { jobId } = await engine.call('model.install', { path: folderLike('for-engine') })
      const done = await ended(jobId)
      expect(done.event).toBe('job.done')
      const result = (done.payload as { result: InstalledModel }).result
      expect(result).toMatchObject({ name: 'use-lite-en', dimension: 512, known: true, folder: join(dir, 'models', 'use-lite-en') })
      expect(result.message).toMatch(/^Installed use-lite-en; /)
      // Progress through the three stages, never backwards.
      const progress = events
        .filter((e) => e.event === 'job.progress' && (e.payload as JobProgress).jobId === jobId)
        .map((e) => e.payload as JobProgress)
      expect([...new Set(progress.map((p) => p.phase))]).toEqual(['verify', 'copy', 'test'])
      expect(progress.map((p) => p.percent)).toEqual([...progress.map((p) => p.percent)].sort((a, b) => a - b))
      expect(progress.at(-1)?.percent).toBe(95)
      const status = await engine.call('model.status', {})
      expect(status.embedders.find((e) => e.name === 'use-lite-en')?.installed).toBe(true)
      await expect(engine.call('model.install', { path: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    } finally {
      await engine.close()
    }
  })
})
