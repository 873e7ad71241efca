import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createEngine } from '../api/engine.ts'
import { EngineError } from '../../../shared/errors.ts'
import { installModelFolder } from './installModel.ts'
import { loadEmbedder } from './embedder.ts'
import { manifestByName } from './modelManifest.ts'

// The real use-lite-en folder from the shared models (the smallest of them), as a user would copy it.
const SHARED_MODELS = new URL('../../../../../shared/models/', import.meta.url).pathname
const source = resolve(process.env.TRIAGE_MODELS_DIR ?? SHARED_MODELS, 'use-lite-en')
const scratch = mkdtempSync(join(tmpdir(), 'triage-install-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** A folder with the model's files, the big ones linked, and `tamper` written over one small file. */
function folderLike(name: string, tamper?: { file: string; text: string }): string {
  const dir = join(scratch, name)
  mkdirSync(dir)
  for (const f of manifestByName('use-lite-en').files) {
    if (f.path === tamper?.file) writeFileSync(join(dir, f.path), tamper.text)
    else if (f.bytes > 1_000_000) symlinkSync(join(source, f.path), join(dir, f.path))
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

describe('installModelFolder', () => {
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
    expect(err.message).toMatch(/use-lite-en: .*tokenizer_config\.json: \d+ bytes, the manifest of use-lite-en expects 192/)
    expect(existsSync(join(modelsDir, 'use-lite-en', 'model.onnx'))).toBe(true)
    expect(readdirSync(modelsDir)).toEqual(['use-lite-en'])
  })

  it('says which models it knows when the folder holds none of them, and when there is no folder', async () => {
    const empty = join(scratch, 'empty')
    mkdirSync(empty)
    writeFileSync(join(empty, 'model.onnx'), 'not a model')
    const none = await failure(installModelFolder(empty, join(scratch, 'other')))
    expect(none.code).toBe('MODEL_INVALID')
    expect(none.message).toMatch(/holds none of the known models\. Expected the files of one of: all-minilm-l6-v2-int8 \(model\.onnx, tokenizer\.json/)
    const missing = await failure(installModelFolder(join(scratch, 'nowhere'), join(scratch, 'other')))
    expect(missing.code).toBe('FILE_NOT_FOUND')
    expect(existsSync(join(scratch, 'other'))).toBe(false)
  })

  it('is a request of the engine, validated at its door', async () => {
    const dir = join(scratch, 'engine')
    mkdirSync(dir)
    const engine = createEngine({ dbPath: join(dir, 'db.sqlite'), modelsDir: join(dir, 'models') })
    try {
      const result = await engine.call('model.install', { path: folderLike('for-engine') })
      expect(result).toMatchObject({ name: 'use-lite-en', dimension: 512, folder: join(dir, 'models', 'use-lite-en') })
      expect(result.message).toMatch(/^Installed use-lite-en; /)
      const status = await engine.call('model.status', {})
      expect(status.embedders.find((e) => e.name === 'use-lite-en')?.installed).toBe(true)
      await expect(engine.call('model.install', { path: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    } finally {
      engine.close()
    }
  })
})
