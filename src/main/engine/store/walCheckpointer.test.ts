import { randomBytes } from 'node:crypto'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fixtureDir } from '../ingest/nastyFixtures.ts'
import { openDatabase, type Db } from './database.ts'
import { checkpointOffThread } from './walCheckpointer.ts'

let db: Db
let path: string
beforeEach(() => {
  path = join(fixtureDir(), 'wal.sqlite')
  db = openDatabase(path)
  db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL)')
})
afterEach(() => db.close())

const size = (file: string): number => statSync(file).size

describe('checkpointOffThread', () => {
  it('copies small commits into the database from its worker, keeps the WAL bounded, and hands checkpoints back', async () => {
    const checkpoints = checkpointOffThread(db)
    // The engine's thread no longer checkpoints: only the worker writes the database file.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0)
    const insert = db.prepare('INSERT INTO blobs (data) VALUES (?)')
    const commit = db.transaction((rows: Buffer[]) => rows.forEach((r) => insert.run(r)))
    // Once its worker answers (its first checkpoint), as an import's first batches take a moment too.
    await checkpoints.drain()
    let written = 0
    for (let i = 0; i < 1000; i++) {
      await checkpoints.ready()
      const rows = Array.from({ length: 4 }, () => randomBytes(16 * 1024))
      commit(rows)
      written += rows.length * 16 * 1024
      checkpoints.afterCommit()
      await new Promise((r) => setImmediate(r))
    }
    await checkpoints.drain()
    // 65 MB went through the WAL; all of it reached the database file, and the WAL was reused, not grown to it.
    expect(size(path)).toBeGreaterThan(written)
    expect(size(`${path}-wal`)).toBeLessThan(written / 2)
    await checkpoints.stop()
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
    expect((db.prepare('SELECT COUNT(*) AS n FROM blobs').get() as { n: number }).n).toBe(4000)
  })

  it('gives checkpoints back only when the last of two writers stops', async () => {
    const a = checkpointOffThread(db)
    const b = checkpointOffThread(db)
    await a.stop()
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0)
    await b.stop()
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
  })
})
