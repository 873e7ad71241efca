// A streaming view of one CSV file: encoding and delimiter detected (or given), headers read, then records
// yielded one at a time so that memory stays flat whatever the file's size. Malformed records are reported
// with their line number and raw text instead of stopping the stream.
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Readable } from 'node:stream'
import { parse, type Info } from 'csv-parse'
import iconv from 'iconv-lite'
import { EngineError } from '../../../shared/errors.ts'
import { sniffDelimiter, type Delimiter } from './delimiter.ts'
import { detectEncoding, looksBinary, type TextEncoding } from './encoding.ts'

export interface CsvRecord {
  /** 1-based line in the file where the record starts (the header is line 1). */
  readonly line: number
  readonly fields: string[]
  readonly raw: string
}

export interface CsvProblem {
  readonly line: number
  readonly reason: string
  readonly raw: string
}

export interface CsvOptions {
  readonly encoding?: TextEncoding | undefined
  readonly delimiter?: Delimiter | undefined
}

export interface CsvSource {
  readonly path: string
  readonly fileName: string
  readonly bytes: number
  readonly encoding: TextEncoding
  readonly delimiter: Delimiter
  readonly headers: string[]
  /** Bytes of the file consumed so far by `records()`, for progress. */
  bytesRead(): number
  records(onProblem?: (problem: CsvProblem) => void): AsyncGenerator<CsvRecord>
}

const HEAD_BYTES = 64 * 1024
/** csv-parse buffers one record; above this a record is certainly not a ticket and parsing stops. */
const MAX_RECORD_CHARS = 64 * 1024 * 1024

export async function openCsv(path: string, options: CsvOptions = {}): Promise<CsvSource> {
  const fileName = basename(path)
  let size: number
  try {
    const st = await stat(path)
    if (!st.isFile()) throw new Error('not a file')
    size = st.size
  } catch {
    throw new EngineError('FILE_NOT_FOUND', `${fileName}: the file does not exist or cannot be read (${path}).`, { path })
  }
  if (size === 0) throw new EngineError('FILE_EMPTY', `${fileName}: the file is empty.`, { path })
  const head = await readHead(path)
  const guess = detectEncoding(head)
  const encoding = options.encoding ?? guess.encoding
  const bomBytes = options.encoding && options.encoding !== guess.encoding ? 0 : guess.bomBytes
  const headText = iconv.decode(head.subarray(bomBytes), encoding)
  if (looksBinary(headText) || (encoding === 'utf-8' && head.includes(0))) {
    throw new EngineError('FILE_NOT_TEXT', `${fileName}: this is not a CSV text file (it contains binary data).`, {
      path,
      encoding
    })
  }
  const delimiter = options.delimiter ?? sniffDelimiter(headText)
  let consumed = 0
  const stream = (): Readable => {
    const file = createReadStream(path, { start: bomBytes, highWaterMark: 256 * 1024 })
    file.on('data', (chunk) => (consumed += chunk.length))
    return encoding === 'utf-8' ? file : (file.pipe(iconv.decodeStream(encoding)) as unknown as Readable)
  }
  const headers = await readHeaders(stream(), delimiter, fileName)
  consumed = 0
  return {
    path,
    fileName,
    bytes: size,
    encoding,
    delimiter,
    headers,
    bytesRead: () => consumed + bomBytes,
    records: (onProblem) => {
      consumed = 0
      return parseRecords(stream(), delimiter, onProblem)
    }
  }
}

async function readHead(path: string): Promise<Buffer> {
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.alloc(HEAD_BYTES)
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0)
    return buf.subarray(0, bytesRead)
  } finally {
    await fh.close()
  }
}

function parser(delimiter: Delimiter) {
  return parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    raw: true,
    info: true,
    max_record_size: MAX_RECORD_CHARS
  })
}

async function readHeaders(input: Readable, delimiter: Delimiter, fileName: string): Promise<string[]> {
  const p = input.pipe(parser(delimiter))
  try {
    for await (const item of p as AsyncIterable<{ record: string[] }>) {
      return item.record.map((h) => h.trim())
    }
  } finally {
    input.destroy()
    p.destroy()
  }
  throw new EngineError('FILE_EMPTY', `${fileName}: the file has no header row.`)
}

async function* parseRecords(
  input: Readable,
  delimiter: Delimiter,
  onProblem?: (problem: CsvProblem) => void
): AsyncGenerator<CsvRecord> {
  const p = input.pipe(parser(delimiter))
  input.on('error', (err) => p.destroy(err))
  p.on('skip', (err: Error & { lines?: number; raw?: string; record?: string[] }) => {
    const raw = err.raw ?? err.record?.join(delimiter) ?? ''
    const line = Math.max(2, (err.lines ?? 0) - countNewlines(raw))
    onProblem?.({ line, reason: describeParseError(err), raw })
  })
  let first = true
  try {
    for await (const item of p as AsyncIterable<{ record: string[]; raw: string; info: Info }>) {
      if (first) {
        first = false
        continue
      }
      const raw = item.raw.replace(/\r?\n$/, '')
      yield { line: item.info.lines - countNewlines(raw), fields: item.record, raw }
    }
  } finally {
    input.destroy()
  }
}

function countNewlines(s: string): number {
  let n = 0
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++
  return n
}

function describeParseError(err: Error & { code?: string }): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed (the file may be truncated)'
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quote inside a field is not escaped'
    case 'CSV_MAX_RECORD_SIZE':
      return `the record is larger than ${MAX_RECORD_CHARS} characters`
    default:
      return err.message
  }
}
