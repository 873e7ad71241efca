import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { installModelFolder } from './installModel.ts'
import { assertNoLinksOut, jsonErrorWithoutContent } from './modelFolderSafety.ts'

describe('model folder safety', () => {
  it('refuses a folder with a link that leads outside it, before reading anything', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'triage-outside-'))
    writeFileSync(join(outside, 'secret.txt'), 'the secret')
    const folder = mkdtempSync(join(tmpdir(), 'triage-linked-model-'))
    writeFileSync(join(folder, 'model.onnx'), 'not a model')
    symlinkSync(join(outside, 'secret.txt'), join(folder, 'tokenizer.json'))
    await expect(installModelFolder(folder, join(folder, 'installed'))).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      message: expect.stringMatching(/tokenizer\.json is a link that leads outside the model folder/)
    })
    // The onnx/ layout too, and a linked folder.
    const hf = mkdtempSync(join(tmpdir(), 'triage-linked-hf-'))
    mkdirSync(join(hf, 'onnx'))
    symlinkSync(outside, join(hf, 'onnx', 'model.onnx'))
    expect(() => assertNoLinksOut(hf)).toThrow(/onnx\/model\.onnx is a link that leads outside/)
    // A link within the folder is fine (Hugging Face caches link blobs that way).
    const inner = mkdtempSync(join(tmpdir(), 'triage-inner-link-'))
    writeFileSync(join(inner, 'blob'), '{}')
    symlinkSync(join(inner, 'blob'), join(inner, 'tokenizer.json'))
    expect(() => assertNoLinksOut(inner)).not.toThrow()
  })

  it('says why a file is not JSON without quoting it', () => {
    let err: unknown
    try {
      JSON.parse('password=hunter2 and more')
    } catch (e) {
      err = e
    }
    const said = jsonErrorWithoutContent(err)
    expect(said).toMatch(/^not valid JSON/)
    expect(said).not.toContain('hunter2')
    expect(said).not.toContain('password')
  })
})
