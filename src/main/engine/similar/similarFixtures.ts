// Test fixtures for similar tickets: slices of a helpdesk export (the real one when present) as CSV files, imported for real.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { openCsv } from '../ingest/csvSource.ts'
import { importCsv } from '../ingest/importCsv.ts'
import type { Db } from '../store/database.ts'
import type { ImportSummary } from '../../../shared/domain.ts'
import { helpdeskExportFile } from '../testShared.ts'

/** Real helpdesk tickets (bueck's test split) where the shared datasets are, else made-up ones in the same layout. */
export const BUECK_TEST_CSV = helpdeskExportFile()

export function tempDir(prefix = 'triage-similar-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** Header and the first `rows` records of a CSV (records, not lines: bodies span lines). */
export function csvSlice(path: string, rows: number): { header: string[]; records: string[][] } {
  const all = parse(readFileSync(path), { to: rows + 1, relax_column_count: true }) as string[][]
  const [header, ...records] = all
  return { header: header ?? [], records }
}

export function writeCsv(path: string, header: readonly string[], records: readonly (readonly string[])[]): string {
  const quote = (v: string): string => `"${v.replaceAll('"', '""')}"`
  writeFileSync(path, [header, ...records].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n')
  return path
}

export async function importFile(db: Db, path: string): Promise<ImportSummary> {
  return importCsv(db, await openCsv(path))
}
