// `triage doctor` and the status bar: database integrity, model files against their checksums, tickets
// the active models have not predicted, and the versions of everything that matters.
import { createRequire } from 'node:module'
import type { DoctorReport } from '../../../shared/domain.ts'
import { appVersion } from '../appVersion.ts'
import { modelFileProblems } from '../predict/modelFileCheck.ts'
import { predictionGaps } from '../predict/predictionGaps.ts'
import type { Db } from './database.ts'
import { schemaVersion } from './database.ts'

const requireFromHere = createRequire(import.meta.url)

function packageVersion(name: string): string {
  try {
    return (requireFromHere(`${name}/package.json`) as { version: string }).version
  } catch {
    return 'not installed'
  }
}

export function doctor(db: Db, dbPath: string): DoctorReport {
  const integrity = (db.pragma('quick_check', { simple: true }) as string) ?? 'unknown'
  const fts = (() => {
    try {
      db.exec("INSERT INTO tickets_fts(tickets_fts, rank) VALUES ('integrity-check', 1)")
      return 'ok'
    } catch (err) {
      return (err as Error).message
    }
  })()
  const tickets = (db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n
  const versions: Record<string, string> = {
    'triage-desk': appVersion(),
    node: process.versions.node,
    sqlite: (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
    'better-sqlite3': packageVersion('better-sqlite3'),
    'onnxruntime-node': packageVersion('onnxruntime-node')
  }
  if (process.versions['electron']) versions['electron'] = process.versions['electron']
  const modelFiles = modelFileProblems(db)
  const gaps = predictionGaps(db)
  return {
    ok: integrity === 'ok' && fts === 'ok' && modelFiles.length === 0 && gaps.length === 0,
    dbPath,
    schemaVersion: schemaVersion(db),
    integrity: fts === 'ok' ? integrity : `${integrity}; full-text index: ${fts}`,
    versions,
    tickets,
    modelFiles,
    predictionGaps: gaps
  }
}
