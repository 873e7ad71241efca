import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SimilarIndex } from './similarIndex.ts'
import { isSimilarIndexError } from './similarErrors.ts'
import { randomMatrix, row } from './testVectors.ts'
import { decodeVector, encodeVector, loadIndexFromDb, saveVectors } from './vectorStore.ts'

// The real table comes from the store's migrations; this is its shape.
const EMBEDDINGS_TABLE = `CREATE TABLE embeddings (
  ticket_id INTEGER NOT NULL, embedder TEXT NOT NULL, dim INTEGER NOT NULL, vector BLOB NOT NULL,
  PRIMARY KEY (ticket_id, embedder)) STRICT`

describe('vector store', () => {
  let dir: string
  let file: string
  let db: Database.Database

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'triage-vectors-'))
    file = join(dir, 'triage.sqlite')
    db = new Database(file)
    db.pragma('journal_mode = WAL')
    db.exec(EMBEDDINGS_TABLE)
  })
  afterEach(() => {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('encodes float32 little-endian and decodes back exactly', () => {
    const v = new Float32Array([1, -2.5, 3.1415927, 1e-30])
    const blob = encodeVector(v)
    expect(blob.byteLength).toBe(16)
    expect(blob.readFloatLE(4)).toBe(-2.5)
    expect(decodeVector(blob)).toEqual(v)
    // A row out of a matrix, at an odd offset in a Buffer (SQLite's buffers are not aligned).
    const m = new Float32Array([9, 9, 1, 2, 3])
    const shifted = Buffer.concat([Buffer.from([7]), encodeVector(m, 2, 3)]).subarray(1)
    expect(decodeVector(shifted)).toEqual(new Float32Array([1, 2, 3]))
  })

  it('round-trips an index through a SQLite file', () => {
    const dim = 384
    const n = 3000
    const ids = Array.from({ length: n }, (_, i) => i * 7 + 1)
    const matrix = randomMatrix(n, dim, 3)
    saveVectors(db, 'all-minilm-l6-v2-int8', ids, matrix)
    saveVectors(db, 'other-model', [1, 2], randomMatrix(2, 512, 4))
    db.close()

    db = new Database(file)
    const loaded = loadIndexFromDb(db, 'all-minilm-l6-v2-int8')
    const direct = new SimilarIndex(dim)
    direct.addMany(ids, matrix)
    expect(loaded.size).toBe(n)
    expect(loaded.dimension).toBe(dim)
    for (const r of [0, 1234, n - 1]) expect(loaded.vectorOf(ids[r] as number)).toEqual(direct.vectorOf(ids[r] as number))
    const query = row(matrix, 42, dim)
    expect(loaded.search(query, 10)).toEqual(direct.search(query, 10))
    expect(loadIndexFromDb(db, 'other-model').dimension).toBe(512)
  })

  it('upserts on save', () => {
    saveVectors(db, 'm', [1, 2], new Float32Array([1, 0, 0, 1]))
    saveVectors(db, 'm', [2, 3], new Float32Array([1, 1, 0, 1]))
    const index = loadIndexFromDb(db, 'm')
    expect(index.size).toBe(3)
    expect(index.search(new Float32Array([1, 1]), 1)[0]?.id).toBe(2)
  })

  it('skips rows it cannot index and says which', () => {
    saveVectors(db, 'm', [1, 2, 3], new Float32Array([1, 0, 0, 1, 1, 1]))
    const insert = db.prepare('INSERT INTO embeddings VALUES (?, ?, ?, ?)')
    insert.run(4, 'm', 3, encodeVector(new Float32Array([1, 2, 3])))
    insert.run(5, 'm', 2, encodeVector(new Float32Array([0, 0])))
    insert.run(6, 'm', 2, Buffer.from([1, 2, 3]))
    const skipped: number[] = []
    const index = loadIndexFromDb(db, 'm', { onSkipped: (id) => skipped.push(id) })
    expect(skipped.sort()).toEqual([4, 5, 6])
    expect(index.size).toBe(3)
  })

  it('loads an empty index for an embedder without vectors; searching it throws SIMILAR_EMPTY_INDEX', () => {
    const index = loadIndexFromDb(db, 'nothing-yet')
    expect(index.size).toBe(0)
    let error: unknown
    try {
      index.search(new Float32Array(384).fill(1), 10)
    } catch (err) {
      error = err
    }
    expect(isSimilarIndexError(error, 'SIMILAR_EMPTY_INDEX')).toBe(true)
  })
})
