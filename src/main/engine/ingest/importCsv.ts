// The CSV import job: stream records, map them, write them in batches (one transaction each, counts
// included, so a crash or cancel leaves a consistent database), store every rejected record with its
// line and reason (a bounded excerpt of its text), and report progress. Read = imported + updated +
// duplicate + rejected, always. Rows whose text needed work to read are named in the summary message.
// The import runs on the thread that answers the window's requests: each transaction is sized to take
// about FLUSH_TARGET_MS, and the event loop runs between them, so a page or a decision waits that long
// at most instead of the seconds a 10,000-row transaction held it.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import type { ColumnMapping, ImportCounts, ImportSummary } from '../../../shared/domain.ts'
import { EngineError } from '../../../shared/errors.ts'
import type { Db } from '../store/database.ts'
import { readImport } from '../store/importsRepo.ts'
import { checkpointOffThread } from '../store/walCheckpointer.ts'
import { assertHasText, autoMap } from './autoMap.ts'
import { ImportNotes } from './importNotes.ts'
import { rejectedExcerpt } from './rejectedExcerpt.ts'
import type { CsvProblem, CsvRecord, CsvSource } from './csvSource.ts'
import { RecordMapper, isRejection } from './recordMapper.ts'
import { TicketWriter } from './ticketWriter.ts'

export interface ImportProgress {
  readonly rows: number
  readonly rowsPerSec: number
  readonly percent: number
}

export interface ImportOptions {
  readonly mapping?: ColumnMapping | undefined
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((p: ImportProgress) => void) | undefined
  /** Called once the import row exists, so a host can name the import before it ends. */
  readonly onStart?: ((importId: number) => void) | undefined
  readonly batchSize?: number
}

const PROGRESS_EVERY_MS = 200
const MAX_BATCH_CHARS = 16 * 1024 * 1024
/** How long one transaction may hold the engine's thread; the next batch's rows follow from the last one's pace. */
const FLUSH_TARGET_MS = 25
const FIRST_BATCH_ROWS = 200
const MIN_BATCH_ROWS = 20

export async function importCsv(db: Db, source: CsvSource, options: ImportOptions = {}): Promise<ImportSummary> {
  const sample = await sampleRows(source, 20)
  const mapping = options.mapping ?? autoMap(source.headers, sample).mapping
  assertHasText(mapping, source.headers, source.fileName)
  const fileHash = sha256File(source.path)
  const started = Date.now()
  const importId = Number(
    db
      .prepare(
        `INSERT INTO imports (file_name, file_path, sha256, bytes, encoding, delimiter, headers, mapping, status, started_at)
         VALUES (?, ?, '', ?, ?, ?, ?, ?, 'running', ?)`
      )
      .run(source.fileName, source.path, source.bytes, source.encoding, source.delimiter,
        JSON.stringify(source.headers), JSON.stringify(mapping), new Date(started).toISOString()).lastInsertRowid
  )
  options.onStart?.(importId)
  const mapper = new RecordMapper(source.headers, mapping)
  const writer = new TicketWriter(db, importId)
  const counts = { read: 0, imported: 0, updated: 0, duplicate: 0, rejected: 0 }
  const insertErrorRow = db.prepare('INSERT INTO import_errors (import_id, line, reason, column_name, raw) VALUES (?, ?, ?, ?, ?)')
  const insertError = (line: number, reason: string, column: string | null, raw: string): void => {
    insertErrorRow.run(importId, line, reason, column, rejectedExcerpt(raw))
  }
  const notes = new ImportNotes()
  const saveCounts = db.prepare(
    'UPDATE imports SET read = ?, imported = ?, updated = ?, duplicate = ?, rejected = ?, seconds = ? WHERE id = ?'
  )
  // Files without an id column: the n-th copy of the same content is its own ticket, so a file that
  // repeats a row keeps both, and a second import of the same file matches each copy to itself.
  const occurrences = mapping.fields.externalId === undefined ? new Map<number, number>() : null
  const problems: CsvProblem[] = []
  let batch: CsvRecord[] = []
  // The most rows a transaction takes; the byte cap keeps memory flat when tickets are long. Within it the
  // rows per transaction follow the pace of the last one, so that each takes about FLUSH_TARGET_MS. Small
  // commits cost some speed (a full-text segment and the hot index pages written per commit: about 1 s of
  // CPU over 38k it-service rows next to 10,000-row ones); 50 ms halves that but leaves p95 near 100 ms.
  const batchSize = options.batchSize ?? 10_000
  let batchRows = Math.min(batchSize, FIRST_BATCH_ROWS)
  let msPerRow = 0
  let batchChars = 0

  const flush = db.transaction((records: CsvRecord[], found: CsvProblem[]) => {
    const now = new Date().toISOString()
    for (const p of found) {
      counts.read++
      counts.rejected++
      insertError(p.line, p.reason, null, p.raw)
    }
    for (const r of records) {
      counts.read++
      notes.note(r.line, r.notes)
      const t = mapper.map(r.fields)
      if (isRejection(t)) {
        counts.rejected++
        insertError(r.line, t.reason, t.column ?? null, r.raw)
        continue
      }
      let id = t.externalId
      if (id === null) {
        const key = parseInt(t.contentHash.slice(0, 13), 16)
        const n = (occurrences?.get(key) ?? 0) + 1
        occurrences?.set(key, n)
        id = `#${t.contentHash.slice(0, 20)}.${n}`
      }
      const outcome = writer.write(id, t, now)
      if (typeof outcome === 'string') counts[outcome]++
      else {
        counts.rejected++
        insertError(r.line, outcome.conflict, null, r.raw)
      }
    }
    saveCounts.run(counts.read, counts.imported, counts.updated, counts.duplicate, counts.rejected,
      (Date.now() - started) / 1000, importId)
  })

  let lastProgress = 0
  const progress = (): void => {
    const seconds = Math.max(0.001, (Date.now() - started) / 1000)
    options.onProgress?.({
      rows: counts.read,
      rowsPerSec: Math.round(counts.read / seconds),
      percent: Math.min(100, Math.round((source.bytesRead() / source.bytes) * 1000) / 10)
    })
  }
  let status: 'done' | 'cancelled' | 'failed' = 'done'
  let message: string | undefined
  // Many small commits: their WAL checkpoints run on a worker thread, not inside them (walCheckpointer.ts).
  const checkpoints = checkpointOffThread(db)
  try {
    for await (const record of source.records((p) => problems.push(p))) {
      batch.push(record)
      batchChars += record.raw.length
      if (batch.length >= batchRows || batchChars >= MAX_BATCH_CHARS || problems.length >= batchRows) {
        // Parsing the next chunk of the file can run in the same turn as the records it gave (csv-parse
        // resumes when its output is read): end that turn before the transaction, and the transaction's
        // turn after it, so that no turn holds both.
        await nextTurn()
        await checkpoints.ready()
        const rows = batch.length + problems.length
        const t0 = performance.now()
        flush(batch, problems.splice(0))
        checkpoints.afterCommit()
        const pace = (performance.now() - t0) / Math.max(1, rows)
        msPerRow = msPerRow === 0 ? pace : (msPerRow + pace) / 2
        batchRows = Math.max(MIN_BATCH_ROWS, Math.min(batchSize, Math.round(FLUSH_TARGET_MS / msPerRow)))
        batch = []
        batchChars = 0
        if (options.signal?.aborted) {
          status = 'cancelled'
          message = 'cancelled by the user; the rows before it are imported, and importing the file again adds the rest'
          break
        }
        if (Date.now() - lastProgress > PROGRESS_EVERY_MS) {
          lastProgress = Date.now()
          progress()
        }
        await nextTurn()
      }
    }
    if (status === 'done') flush(batch, problems.splice(0))
  } catch (err) {
    status = 'failed'
    message = `${source.fileName}: ${(err as Error).message}`
  } finally {
    await checkpoints.stop()
  }
  progress()
  const seconds = (Date.now() - started) / 1000
  db.prepare('UPDATE imports SET status = ?, sha256 = ?, finished_at = ?, seconds = ?, message = ? WHERE id = ?').run(
    status, await fileHash.catch(() => ''), new Date().toISOString(), seconds,
    [message ?? summaryMessage(counts), ...notes.sentences(source.encoding)].join('; '), importId
  )
  const summary = readImport(db, importId)
  if (status === 'failed') throw new EngineError('IMPORT_FAILED', message!, { importId, counts: { ...counts } })
  return summary
}

/**
 * Lets the engine answer other requests: a macrotask, so that IPC and socket messages waiting in the event
 * loop run (a resolved promise would only run other microtasks).
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

function summaryMessage(c: ImportCounts): string {
  return `${c.read} read: ${c.imported} imported, ${c.updated} updated, ${c.duplicate} duplicate, ${c.rejected} rejected`
}

async function sampleRows(source: CsvSource, n: number): Promise<string[][]> {
  const rows: string[][] = []
  for await (const r of source.records()) {
    rows.push(r.fields)
    if (rows.length >= n) break
  }
  return rows
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256')
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject)
  })
}
