import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from './database.ts'
import { readSettings, writeSettings } from './settingsRepo.ts'

let dir: string
let db: Db
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'triage-settings-'))
  db = openDatabase(join(dir, 'triage.sqlite'))
})
afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('settings in the database', () => {
  it('keeps what a patch does not name, and survives a reopen', () => {
    writeSettings(db, { reviewerName: 'Lea', embedder: 'use-lite-en' })
    writeSettings(db, { executionProvider: 'cpu' })
    db.close()
    db = openDatabase(join(dir, 'triage.sqlite'))
    expect(readSettings(db)).toMatchObject({ reviewerName: 'Lea', embedder: 'use-lite-en', executionProvider: 'cpu', reviewSampleRate: 0.02 })
  })

  it('drops only the stored values that no longer validate, and keys it does not know', () => {
    writeSettings(db, { reviewerName: 'Lea', reviewSampleRate: 0.1 })
    const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    put.run('executionProvider', '"quantum"')
    put.run('fromANewerApp', '1')
    put.run('duplicateThreshold', 'not json')
    const s = readSettings(db)
    expect(s).toMatchObject({ reviewerName: 'Lea', reviewSampleRate: 0.1, executionProvider: 'auto', duplicateThreshold: 0.95 })
    expect(s).not.toHaveProperty('fromANewerApp')
  })
})
