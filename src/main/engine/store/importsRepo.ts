// Reads of the imports and their rejected rows.
import type { ImportError, ImportStatus, ImportSummary } from '../../../shared/domain.ts'
import { EngineError } from '../../../shared/errors.ts'
import type { Db } from './database.ts'
import { markInterruptedImports } from './importHeartbeat.ts'

interface ImportRow {
  id: number
  file_name: string
  sha256: string
  encoding: string
  delimiter: string
  status: ImportStatus
  read: number
  imported: number
  updated: number
  duplicate: number
  rejected: number
  started_at: string
  seconds: number
  message: string | null
}

function toSummary(r: ImportRow): ImportSummary {
  const base = {
    importId: r.id,
    fileName: r.file_name,
    sha256: r.sha256,
    encoding: r.encoding,
    delimiter: r.delimiter,
    status: r.status,
    read: r.read,
    imported: r.imported,
    updated: r.updated,
    duplicate: r.duplicate,
    rejected: r.rejected,
    startedAt: r.started_at,
    seconds: r.seconds,
    rowsPerSec: r.seconds > 0 ? Math.round(r.read / r.seconds) : 0
  }
  return r.message === null ? base : { ...base, message: r.message }
}

export function readImport(db: Db, importId: number): ImportSummary {
  const row = db.prepare<[number], ImportRow>('SELECT * FROM imports WHERE id = ?').get(importId)
  if (!row) throw new EngineError('NOT_FOUND', `Import ${importId} does not exist.`, { importId })
  return toSummary(row)
}

export function listImports(db: Db): ImportSummary[] {
  // An import whose engine died since the last look is shown as interrupted now, not at the next start.
  markInterruptedImports(db)
  return db.prepare<[], ImportRow>('SELECT * FROM imports ORDER BY id DESC').all().map(toSummary)
}

export function importErrors(db: Db, importId: number, offset: number, limit: number): { total: number; rows: ImportError[] } {
  readImport(db, importId)
  const total = (db.prepare('SELECT COUNT(*) AS n FROM import_errors WHERE import_id = ?').get(importId) as { n: number }).n
  const rows = db
    .prepare<[number, number, number], { line: number; reason: string; column_name: string | null; raw: string }>(
      'SELECT line, reason, column_name, raw FROM import_errors WHERE import_id = ? ORDER BY line, id LIMIT ? OFFSET ?'
    )
    .all(importId, limit, offset)
    .map((r) => (r.column_name === null ? { line: r.line, reason: r.reason, raw: r.raw } : { line: r.line, reason: r.reason, column: r.column_name, raw: r.raw }))
  return { total, rows }
}
