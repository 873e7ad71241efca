import { readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fixtureDir } from '../ingest/nastyFixtures.ts'
import { loadHeadFile, storeHeadFile } from './headFile.ts'
import { fileStem, storeByContent } from './modelFileStore.ts'

describe('model files named by content', () => {
  it('gives different heads of the same target different files, and identical ones the same file', () => {
    const dir = join(fixtureDir(), 'heads')
    const a = storeHeadFile(dir, fileStem('queue'), { w: Float32Array.from([1, 2]) })
    const b = storeHeadFile(dir, fileStem('queue'), { w: Float32Array.from([3, 4]) })
    expect(a.path).not.toBe(b.path)
    expect(a.path).toMatch(new RegExp(`queue-${a.sha256}\\.head$`))
    // The first head is untouched by the second: it still loads against its own checksum.
    expect(Array.from(loadHeadFile<{ w: Float32Array }>(a.path, a.sha256).w)).toEqual([1, 2])
    const again = storeHeadFile(dir, fileStem('queue'), { w: Float32Array.from([1, 2]) })
    expect(again).toEqual(a)
    // Only the two heads: no temp file is left behind.
    expect(readdirSync(dir).sort()).toEqual([`queue-${a.sha256}.head`, `queue-${b.sha256}.head`].sort())
  })

  it('creates files readable by the user only, and rewrites a damaged file that claims the same content', () => {
    const dir = join(fixtureDir(), 'heads')
    const bytes = Buffer.from('some graph bytes')
    const stored = storeByContent(dir, 'queue', 'onnx', bytes)
    if (process.platform !== 'win32') expect(statSync(stored.path).mode & 0o777).toBe(0o600)
    writeFileSync(stored.path, 'damaged')
    expect(storeByContent(dir, 'queue', 'onnx', bytes)).toEqual(stored)
    expect(statSync(stored.path).size).toBe(bytes.length)
  })

  it('keeps odd target names to a safe file-name stem', () => {
    expect(fileStem('../queue name/ä')).toBe('.._queue_name_')
    expect(fileStem('')).toBe('target')
  })
})
