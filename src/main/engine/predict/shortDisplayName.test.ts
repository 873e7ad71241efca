import { describe, expect, it } from 'vitest'
import { knownManifests } from '../inference/modelManifest.ts'
import { shortDisplayName } from './modelRequests.ts'

describe('shortDisplayName', () => {
  it('keeps the name a person knows and the word that tells two builds apart', () => {
    expect(shortDisplayName('all-MiniLM-L6-v2 (dynamic int8, per-channel)')).toBe('all-MiniLM-L6-v2 (int8)')
    expect(shortDisplayName('all-MiniLM-L6-v2 (fp32)')).toBe('all-MiniLM-L6-v2 (fp32)')
    expect(shortDisplayName('Universal Sentence Encoder Lite (English)')).toBe('Universal Sentence Encoder Lite')
    // Every model the app ships gets a name of its own.
    const names = knownManifests().map((m) => shortDisplayName(m.displayName))
    expect(new Set(names).size).toBe(names.length)
  })
})
