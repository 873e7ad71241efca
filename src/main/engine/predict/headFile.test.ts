import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fixtureDir } from '../ingest/nastyFixtures.ts'
import { decodeHead, encodeHead, loadHeadFile, saveHeadFile } from './headFile.ts'

describe('head file', () => {
  it('round-trips nested objects with typed arrays of every alignment', () => {
    const value = {
      classes: ['a', 'b'],
      linear: { weights: Float64Array.from([1.5, -2, 3e-9]), bias: Float32Array.from([0.25]) },
      neighbours: { vectors: new Float32Array(7).fill(0.5), labels: Int32Array.from([0, 1, 1]) },
      small: Uint8Array.from([1, 2, 3]),
      n: 3
    }
    const back = decodeHead<typeof value>(encodeHead(value), 'x')
    expect(back.classes).toEqual(['a', 'b'])
    expect(back.linear.weights).toBeInstanceOf(Float64Array)
    expect(Array.from(back.linear.weights)).toEqual([1.5, -2, 3e-9])
    expect(Array.from(back.linear.bias)).toEqual([0.25])
    expect(Array.from(back.neighbours.vectors)).toEqual(new Array(7).fill(0.5))
    expect(Array.from(back.neighbours.labels)).toEqual([0, 1, 1])
    expect(Array.from(back.small)).toEqual([1, 2, 3])
    expect(back.n).toBe(3)
  })

  it('refuses a file whose checksum does not match, or that is missing', () => {
    const path = join(fixtureDir(), 'h.head')
    const { sha256 } = saveHeadFile(path, { w: Float32Array.from([1, 2]) })
    expect(Array.from(loadHeadFile<{ w: Float32Array }>(path, sha256).w)).toEqual([1, 2])
    writeFileSync(path, Buffer.from('TDHEAD01garbage'))
    expect(() => loadHeadFile(path, sha256)).toThrow(expect.objectContaining({ code: 'DB_CORRUPT', message: expect.stringMatching(/checksum/) }))
    expect(() => loadHeadFile(join(fixtureDir(), 'none.head'), sha256)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })
})
