import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { listInstalledEmbedders, loadEmbedder } from './embedder.ts'
import { installModelFolder } from './installModel.ts'
import { installTestEncoder, TEST_ENCODER_DIMENSION, writeTestEncoderFolder } from './testEncoder.ts'

const scratch = mkdtempSync(join(tmpdir(), 'triage-test-encoder-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const cosine = (v: Float32Array, dim: number, a: number, b: number): number => {
  let s = 0
  for (let k = 0; k < dim; k++) s += v[a * dim + k]! * v[b * dim + k]!
  return s
}

// The fixture encoder itself: what the tests that stand in for the real models rely on.
describe('the test encoder', () => {
  it('is found by name once installed, and embeds texts that share words closer than texts that do not', async () => {
    const modelsDir = join(scratch, 'models')
    installTestEncoder(modelsDir, 'tiny')
    expect(listInstalledEmbedders(modelsDir).map((e) => e.name)).toContain('tiny')
    const e = await loadEmbedder('tiny', { modelsDir })
    try {
      const texts = ['printer toner jam on the third floor', 'the printer is out of toner', 'password reset for my vpn account', '']
      const v = await e.embed(texts)
      expect(e.dimension).toBe(TEST_ENCODER_DIMENSION)
      for (let r = 0; r < texts.length; r++) expect(cosine(v, e.dimension, r, r)).toBeCloseTo(1, 4)
      expect(cosine(v, e.dimension, 0, 1)).toBeGreaterThan(cosine(v, e.dimension, 0, 2))
      expect(e.providerNotes.join(' ')).toMatch(/int8/)
    } finally {
      await e.close()
    }
  })

  it('installs from a folder the app has no manifest for, as a downloaded model would', async () => {
    const installed = await installModelFolder(writeTestEncoderFolder(join(scratch, 'Team Tiny'), { tokenTypeIds: true }), join(scratch, 'installed'))
    expect(installed.known).toBe(false)
    expect(installed.manifest).toMatchObject({ name: 'team-tiny', output: 'last_hidden_state', pooling: 'mean', dimension: TEST_ENCODER_DIMENSION, maxTokens: 64 })
    expect(installed.manifest.inputs).toEqual(['input_ids', 'attention_mask', 'token_type_ids'])
  })
})
