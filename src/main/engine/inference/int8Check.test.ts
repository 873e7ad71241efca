import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadEmbedder } from './embedder.ts'
import { int8Verdict } from './int8Check.ts'
import type { ModelManifest } from './modelManifest.ts'
import { testEncoderManifest, writeTestEncoderFolder } from './testEncoder.ts'

const scratch = mkdtempSync(join(tmpdir(), 'triage-int8check-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const D = 24

/**
 * The test encoder (token embeddings, then one MatMul, mean-pooled). With `outlier`, each weight column
 * holds one huge value on an embedding dimension that is always 0: fp32 never sees it, but per-column int8
 * scales are set by it and round every other weight to 0, so the int8 vectors are garbage, as saturated
 * kernels make them on some CPUs.
 */
function tinyEncoder(name: string, outlier: boolean): { manifest: ModelManifest; dir: string } {
  const dir = writeTestEncoderFolder(join(scratch, name), { outlier, dimension: D })
  return { manifest: testEncoderManifest(name, dir, { dimension: D }), dir }
}

describe('int8 weights checked against fp32 where the model loads', () => {
  const texts = ['VPN drops every few minutes', 'printer out of toner on floor 3', 'Passwort zurücksetzen bitte']

  it('runs on int8 weights when its probe vectors stay within cosine 0.99 of fp32, and says what it measured', async () => {
    const { manifest, dir } = tinyEncoder('tiny-good', false)
    const e = await loadEmbedder(manifest, { dir, provider: 'cpu', filesVerified: true })
    try {
      expect(e.providerNotes.join(' ')).toMatch(/1 weight matrices quantised to int8 at load \(CPU; min cosine (0\.99\d\d|1\.0000) to fp32 on 10 probe tickets in 5 languages, checked at load on this CPU\)/)
    } finally {
      await e.close()
    }
  })

  it('keeps a model in fp32, with a note for the model status, when its int8 vectors drift on this CPU', async () => {
    const { manifest, dir } = tinyEncoder('tiny-drifts', true)
    const e = await loadEmbedder(manifest, { dir, provider: 'cpu', filesVerified: true })
    const fp32 = await loadEmbedder(manifest, { dir, provider: 'cpu', filesVerified: true, cpuInt8: false })
    try {
      const note = e.providerNotes.join(' ')
      expect(note).toMatch(/kept in fp32: int8 vectors drift \(min cosine -?\d\.\d{4} to fp32 on 10 probe tickets in 5 languages, checked at load on this CPU; needs 0\.99\)/)
      expect(Number(/min cosine (-?\d\.\d{4})/.exec(note)?.[1])).toBeLessThan(0.9)
      expect(note).not.toMatch(/quantised to int8/)
      // It is the fp32 graph that runs: the very same vectors.
      expect(await e.embed(texts)).toEqual(await fp32.embed(texts))
    } finally {
      await Promise.all([e.close(), fp32.close()])
    }
    // The install-time verdict reads the same measurement.
    const verdict = await int8Verdict(manifest, dir)
    expect(verdict.cpuInt8).toBe(false)
    expect(verdict.note).toMatch(/^kept in fp32: int8 vectors drift .*checked at install/)
  })
})
