import { statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fixtureDir } from '../ingest/nastyFixtures.ts'
import { openDatabase } from './database.ts'
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.ts'

describe('openDatabase', () => {
  it('creates a WAL database with every migration recorded and STRICT tables', () => {
    const path = join(fixtureDir(), 'a.sqlite')
    const db = openDatabase(path)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]
    expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version))
    const strict = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'tickets_fts%'").all() as { name: string; strict: number }[]
    expect(strict.length).toBeGreaterThanOrEqual(9)
    expect(strict.filter((t) => t.strict !== 1)).toEqual([])
    expect(() => db.prepare("INSERT INTO labels (ticket_id, target, value, origin, at) VALUES ('x', 'q', 'v', 'import', 'now')").run()).toThrow()
    db.close()
    // Re-opening applies nothing new.
    const again = openDatabase(path)
    expect((again.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(SCHEMA_VERSION)
    again.close()
  })

  it.skipIf(process.platform === 'win32')('keeps a folder it creates and the database files private to their owner', () => {
    const dir = join(fixtureDir(), 'data')
    const path = join(dir, 'p.sqlite')
    const db = openDatabase(path)
    db.prepare('CREATE TABLE t (x)').run()
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(statSync(file).mode & 0o077).toBe(0)
    db.close()
  })

  it('applies only pending migrations, in order', () => {
    const path = join(fixtureDir(), 'b.sqlite')
    openDatabase(path, { migrations: MIGRATIONS.slice(0, 1) }).close()
    const db = openDatabase(path)
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'predictions'").get()).toBeTruthy()
    db.close()
  })

  it('rolls back a failing migration as a whole', () => {
    const path = join(fixtureDir(), 'c.sqlite')
    const broken = [...MIGRATIONS, { version: 99, name: 'broken', sql: 'CREATE TABLE ok_then (x INTEGER) STRICT; SELECT nope FROM missing;' }]
    expect(() => openDatabase(path, { migrations: broken })).toThrow()
    const db = openDatabase(path)
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'ok_then'").get()).toBeUndefined()
    db.close()
  })

  it('refuses a database written by a newer app with a clear message', () => {
    const path = join(fixtureDir(), 'd.sqlite')
    const newer = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'from-the-future', sql: 'CREATE TABLE future (x INTEGER) STRICT;' }]
    openDatabase(path, { migrations: newer }).close()
    expect(() => openDatabase(path)).toThrow(expect.objectContaining({ code: 'DB_NEWER_THAN_APP', message: expect.stringMatching(/newer version of Triage Desk/) }))
  })
})
