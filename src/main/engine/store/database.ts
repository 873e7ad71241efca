// Opens the SQLite store: WAL, foreign keys, migrations in one transaction, and a refusal to touch a
// database written by a newer app.
import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { EngineError } from '../../../shared/errors.ts'
import { MIGRATIONS, type Migration } from './migrations.ts'

export type Db = Database.Database

export interface OpenOptions {
  readonly migrations?: readonly Migration[]
  readonly readonly?: boolean
}

/** Electron needs its own ABI build of better-sqlite3; the host passes its path when it has one. */
export function nativeBinding(): string | undefined {
  return process.env['TRIAGE_SQLITE_BINDING'] || undefined
}

/** Tickets are customers' words: a folder we create is the user's alone (0700), as are the database files (0600). */
const PRIVATE_DIR = 0o700
const PRIVATE_FILE = 0o600

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR })
  let db: Db
  try {
    const binding = nativeBinding()
    db = new Database(path, binding ? { nativeBinding: binding } : {})
    db.pragma('journal_mode = WAL')
  } catch (err) {
    throw new EngineError('DB_CORRUPT', `Cannot open the database ${path}: ${(err as Error).message}`, { path })
  }
  if (path !== ':memory:' && !options.readonly) makePrivate(path)
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  db.pragma('cache_size = -32000')
  try {
    migrate(db, options.migrations ?? MIGRATIONS, path)
  } catch (err) {
    db.close()
    throw err
  }
  return db
}

/** The database and its WAL files readable by their owner only (POSIX; Windows keeps the folder's ACL). */
function makePrivate(path: string): void {
  if (process.platform === 'win32') return
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if (existsSync(file)) chmodSync(file, PRIVATE_FILE)
    } catch {
      // A database on a filesystem without modes (a FAT stick) still opens; privacy there is the volume's.
    }
  }
}

export function migrate(db: Db, migrations: readonly Migration[], path: string): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`)
  const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as {
    version: number
    name: string
  }[]
  applied.forEach((row, i) => {
    const known = migrations[i]
    if (!known || known.version !== row.version || known.name !== row.name) {
      throw new EngineError(
        'DB_NEWER_THAN_APP',
        `The database ${path} was written by a newer version of Triage Desk (schema ${row.version} "${row.name}"); ` +
          `this app knows schema ${migrations.length}. Update the app, or open another database.`,
        { path, dbVersion: row.version, appVersion: migrations.length }
      )
    }
  })
  const pending = migrations.slice(applied.length)
  if (pending.length > 0) {
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
    db.transaction(() => {
      for (const m of pending) {
        db.exec(m.sql)
        record.run(m.version, m.name, new Date().toISOString())
      }
    })()
  }
  return migrations.length
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }
  return row.v ?? 0
}
