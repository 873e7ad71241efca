import { resolve } from 'node:path'
import type { Delimiter } from '../engine/ingest/delimiter.ts'
import type { TextEncoding } from '../engine/ingest/encoding.ts'
import { openCsv } from '../engine/ingest/csvSource.ts'
import { importCsv } from '../engine/ingest/importCsv.ts'
import { importErrors } from '../engine/store/importsRepo.ts'
import type { Engine } from '../engine/api/engine.ts'
import { oneLine, printJson, table } from './output.ts'

export interface ImportArgs {
  readonly file: string
  readonly json: boolean
  readonly encoding?: string | undefined
  readonly delimiter?: string | undefined
}

export async function importCommand(engine: Engine, args: ImportArgs): Promise<number> {
  const source = await openCsv(resolve(args.file), {
    encoding: args.encoding as TextEncoding | undefined,
    delimiter: (args.delimiter === 'tab' ? '\t' : args.delimiter) as Delimiter | undefined
  })
  const controller = new AbortController()
  const onSigint = (): void => controller.abort()
  process.once('SIGINT', onSigint)
  const tty = process.stderr.isTTY
  try {
    const summary = await importCsv(engine.db, source, {
      signal: controller.signal,
      onProgress: (p) => {
        if (tty) process.stderr.write(`\r${source.fileName}: ${p.rows} rows, ${p.rowsPerSec} rows/s, ${p.percent}%   `)
      }
    })
    if (tty) process.stderr.write('\n')
    const errors = importErrors(engine.db, summary.importId, 0, 1000)
    if (args.json) {
      printJson({ ...summary, errors: errors.rows })
      return summary.status === 'done' ? 0 : 1
    }
    console.log(`${summary.fileName} (${summary.encoding}, delimiter ${JSON.stringify(summary.delimiter)}): ${summary.status}`)
    console.log(
      `read ${summary.read}  imported ${summary.imported}  updated ${summary.updated}  duplicate ${summary.duplicate}  rejected ${summary.rejected}  (${summary.seconds.toFixed(2)} s, ${summary.rowsPerSec} rows/s)`
    )
    if (errors.total > 0) {
      console.log(`\nRejected rows (${errors.total}; all of them: triage errors ${summary.importId}):`)
      console.log(table([['line', 'column', 'reason', 'raw'], ...errors.rows.slice(0, 20).map((e) => [String(e.line), e.column ?? '', e.reason, oneLine(e.raw, 60)])]))
    }
    return summary.status === 'done' ? 0 : 1
  } finally {
    process.off('SIGINT', onSigint)
  }
}
