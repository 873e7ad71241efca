import { resolve } from 'node:path'
import type { CsvDelimiter, CsvEncoding } from './csvArgs.ts'
import { openCsv } from '../engine/ingest/csvSource.ts'
import { importCsv } from '../engine/ingest/importCsv.ts'
import { beatWhileRunning } from '../engine/store/importHeartbeat.ts'
import { importErrors } from '../engine/store/importsRepo.ts'
import { readSettings } from '../engine/store/settingsRepo.ts'
import { predictMissing } from '../engine/predict/predictTickets.ts'
import type { Engine } from '../engine/api/engine.ts'
import { afterImportSimilar, type AfterImportSummary } from '../engine/similar/afterImport.ts'
import { oneLine, printJson, table } from './output.ts'

export interface ImportArgs {
  readonly file: string
  readonly json: boolean
  /** Checked against the contract's values by the command line (csvArgs.ts). */
  readonly encoding?: CsvEncoding | undefined
  readonly delimiter?: CsvDelimiter | undefined
  /**
   * Embed the imported tickets and mark near-duplicates afterwards (`--index`). Off by default on the
   * command line: embedding 50k tickets takes minutes on a CPU, and the import itself is what a script
   * waits for; `triage similar` indexes on demand. The app does it as the import job's second phase.
   */
  readonly index?: boolean | undefined
}

export async function importCommand(engine: Engine, args: ImportArgs): Promise<number> {
  const source = await openCsv(resolve(args.file), {
    encoding: args.encoding,
    delimiter: args.delimiter
  })
  const controller = new AbortController()
  const onSigint = (): void => controller.abort()
  process.once('SIGINT', onSigint)
  const tty = process.stderr.isTTY
  let stopBeating = (): void => {}
  try {
    const summary = await importCsv(engine.db, source, {
      onStart: (importId) => (stopBeating = beatWhileRunning(engine.db, importId)),
      signal: controller.signal,
      onProgress: (p) => {
        if (tty) process.stderr.write(`\r${source.fileName}: ${p.rows} rows, ${p.rowsPerSec} rows/s, ${p.percent}%   `)
      }
    })
    if (tty) process.stderr.write('\n')
    let similar: AfterImportSummary | undefined
    if (summary.status === 'done' && args.index === true) {
      // Never fails the import: without a model installed it falls back to TF-IDF vectors.
      similar = await afterImportSimilar(engine.db, summary.importId, {
        signal: controller.signal,
        onProgress: (p) => {
          if (tty) process.stderr.write(`\rindexing for similar tickets: ${p.rows}/${p.total}, ${p.rowsPerSec}/s   `)
        }
      })
      if (tty && similar.indexed > 0) process.stderr.write('\n')
    }
    // Every ticket without a current prediction from an active head gets one, as in the app: this import's
    // new and changed tickets, and any an earlier import committed but never predicted.
    const predicted = summary.status === 'done' ? (await predictMissing(engine.db, readSettings(engine.db).reviewSampleRate, { signal: controller.signal })).predicted : 0
    if (tty && predicted > 0) process.stderr.write(`predicted ${predicted} tickets with the active models\n`)
    const errors = importErrors(engine.db, summary.importId, 0, 1000)
    if (args.json) {
      printJson({ ...summary, errors: errors.rows, indexed: similar?.indexed ?? null, near_duplicates: similar?.nearDuplicates ?? null, predicted })
      return summary.status === 'done' ? 0 : 1
    }
    console.log(`${summary.fileName} (${summary.encoding}, delimiter ${JSON.stringify(summary.delimiter)}): ${summary.status}`)
    console.log(
      `read ${summary.read}  imported ${summary.imported}  updated ${summary.updated}  duplicate ${summary.duplicate}  rejected ${summary.rejected}  (${summary.seconds.toFixed(2)} s, ${summary.rowsPerSec} rows/s)`
    )
    if (similar) {
      console.log(
        `similar tickets: indexed ${similar.indexed} with ${similar.embedder} (${similar.seconds.toFixed(1)} s), ${similar.nearDuplicates} near-duplicates of earlier tickets${similar.cancelled ? ' (cancelled)' : ''}`
      )
    }
    if (errors.total > 0) {
      console.log(`\nRejected rows (${errors.total}; all of them: triage errors ${summary.importId}):`)
      console.log(table([['line', 'column', 'reason', 'raw'], ...errors.rows.slice(0, 20).map((e) => [String(e.line), e.column ?? '', e.reason, oneLine(e.raw, 60)])]))
    }
    return summary.status === 'done' ? 0 : 1
  } finally {
    stopBeating()
    process.off('SIGINT', onSigint)
  }
}
