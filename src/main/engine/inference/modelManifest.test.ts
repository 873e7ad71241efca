import { describe, expect, it } from 'vitest'
import { knownManifests, manifestByName, parseManifest, ManifestError } from './modelManifest.ts'

describe('model manifests', () => {
  it('every manifest in models/ is valid and exactly one is the default', () => {
    const all = knownManifests()
    expect(all.map((m) => m.name).sort()).toEqual(['all-minilm-l6-v2', 'all-minilm-l6-v2-int8', 'use-lite-en'])
    expect(all.filter((m) => m.default).map((m) => m.name)).toEqual(['all-minilm-l6-v2-int8'])
    const int8 = manifestByName('all-minilm-l6-v2-int8')
    expect(int8).toMatchObject({ pooling: 'mean', dimension: 384, maxTokens: 128, output: 'last_hidden_state' })
    expect(manifestByName('use-lite-en')).toMatchObject({ pooling: 'pooled', dimension: 512, maxTokens: 128 })
  })

  it('pins MiniLM downloads to a commit, not a branch', () => {
    for (const f of manifestByName('all-minilm-l6-v2-int8').files) expect(f.url).toMatch(/\/resolve\/[0-9a-f]{40}\//)
  })

  it('names the field that is wrong', () => {
    const bad = { ...manifestByName('use-lite-en'), pooling: 'max', files: [{ role: 'model', path: '../x.onnx', bytes: 1, sha256: 'abc' }] }
    expect(() => parseManifest(bad, 'bad.json')).toThrow(ManifestError)
    expect(() => parseManifest(bad, 'bad.json')).toThrow(/pooling/)
    expect(() => parseManifest(bad, 'bad.json')).toThrow(/files\.0\.path/)
  })

  it('an unknown name lists the known ones', () => {
    expect(() => manifestByName('gpt-17')).toThrow(/known: .*all-minilm-l6-v2-int8/)
  })
})
