// A streaming view of one CSV file: encoding and delimiter detected (or given), headers read, then records
// yielded one at a time so that memory stays flat whatever the file's size. Malformed records are reported
// with their line number and raw text instead of stopping the stream. Each record's text is decoded and
// checked as it streams (recordText.ts), so what the first 64 KB suggested never decides the rest.
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { Readable } from 'node:stream'
import { parse, type Info, type Parser } from 'csv-parse'
import iconv from 'iconv-lite'
import { EngineError } from '../../../shared/errors.ts'
import { decodeByteText } from './byteText.ts'
import { sniffDelimiter, type Delimiter } from './delimiter.ts'
import { bomLength, detectEncoding, isByteEncoding, looksBinary, type TextEncoding } from './encoding.ts'
import { recordDecoder, type RecordDecoder, type TextNote } from './recordText.ts'

export interface CsvRecord {
  /** 1-based line in the file where the record starts (the header is line 1). */
  readonly line: number
  readonly fields: string[]
  readonly raw: string
  /** What was done to the record's text to read it (recordText.ts), when anything was. */
  readonly notes?: readonly TextNote[]
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
  const encoding = options.encoding ?? detectEncoding(head).encoding
  const bomBytes = bomLength(head, encoding)
  const headBytes = head.subarray(bomBytes)
  const headText = isByteEncoding(encoding) ? decodeByteText(headBytes.toString('latin1')).text : iconv.decode(headBytes, encoding)
  // NULs count as control characters here: a file that is mostly NULs is binary, while a few NULs in a
  // text file, here or later, are removed from their rows like any other (recordText.ts).
  if (looksBinary(headText)) {
    throw new EngineError('FILE_NOT_TEXT', `${fileName}: this is not a CSV text file (it contains binary data).`, {
      path,
      encoding
    })
  }
  const delimiter = options.delimiter ?? sniffDelimiter(headText)
  let consumed = 0
  const oddUtf16Byte = !isByteEncoding(encoding) && (size - bomBytes) % 2 === 1
  const stream = (): Readable => {
    // csv-parse parses each chunk in one go on the engine's thread: 64 KB (a few hundred tickets) is tens
    // of milliseconds, where 256 KB held requests for over 100 ms on a loaded machine.
    const file = createReadStream(path, { start: bomBytes, highWaterMark: 64 * 1024 })
    file.on('data', (chunk) => (consumed += chunk.length))
    // Bytes go to csv-parse as they are, and it gives them back as latin1 strings (parser below).
    if (isByteEncoding(encoding)) return file
    const text = file.pipe(iconv.decodeStream(encoding)) as unknown as Readable
    // iconv-lite drops a last odd byte without a word: mark where it was with U+FFFD, which is noted.
    return oddUtf16Byte ? Readable.from(withTrailing(text, '\ufffd'), { objectMode: false }) : text
  }
  const decode = recordDecoder(encoding)
  const parser = (): Parser => csvParser(delimiter, isByteEncoding(encoding) ? 'latin1' : 'utf8')
  const headers = await readHeaders(stream(), parser(), fileName, decode)
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
      return parseRecords(stream(), parser(), delimiter, decode, onProblem)
    }
  }
}

async function* withTrailing(text: AsyncIterable<string>, tail: string): AsyncGenerator<string> {
  yield* text
  yield tail
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

/**
 * `encoding` is how csv-parse turns the bytes of a field into a string: latin1 for 8-bit files, one
 * character per byte, so that each record is decoded on its own afterwards (recordText.ts).
 */
function csvParser(delimiter: Delimiter, encoding: 'latin1' | 'utf8'): Parser {
  return parse({
    delimiter,
    encoding,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    raw: true,
    info: true,
    max_record_size: MAX_RECORD_CHARS
  })
}

async function readHeaders(input: Readable, parser: Parser, fileName: string, decode: RecordDecoder): Promise<string[]> {
  const p = input.pipe(parser)
  try {
    for await (const item of p as AsyncIterable<{ record: string[]; raw: string }>) {
      return decode(item.record, item.raw).fields.map((h) => h.trim())
    }
  } finally {
    input.destroy()
    p.destroy()
  }
  throw new EngineError('FILE_EMPTY', `${fileName}: the file has no header row.`)
}

async function* parseRecords(
  input: Readable,
  parser: Parser,
  delimiter: Delimiter,
  decode: RecordDecoder,
  onProblem?: (problem: CsvProblem) => void
): AsyncGenerator<CsvRecord> {
  const p = input.pipe(parser)
  input.on('error', (err) => p.destroy(err))
  p.on('skip', (err: Error & { lines?: number; raw?: string; record?: string[] }) => {
    const raw = recordText(err.raw ?? err.record?.join(delimiter) ?? '')
    const line = Math.max(2, (err.lines ?? 0) - countNewlines(raw))
    onProblem?.({ line, reason: describeParseError(err), raw: decode([], raw).raw })
  })
  let first = true
  try {
    for await (const item of p as AsyncIterable<{ record: string[]; raw: string; info: Info }>) {
      if (first) {
        first = false
        continue
      }
      const raw = recordText(item.raw)
      const text = decode(item.record, raw)
      const record = { line: item.info.lines - countNewlines(raw), fields: text.fields, raw: text.raw }
      yield text.notes ? { ...record, notes: text.notes } : record
    }
  } finally {
    input.destroy()
  }
}

/**
 * csv-parse's raw text of a record also holds the empty lines skipped before it and the line break after
 * it; neither is part of the record (a record cannot start with a line break, and one inside a field is
 * quoted, so it cannot end with one either), and keeping them put the line number off by the blank lines.
 */
function recordText(raw: string): string {
  let start = 0
  let end = raw.length
  while (start < end && (raw[start] === '\n' || raw[start] === '\r')) start++
  while (end > start && (raw[end - 1] === '\n' || raw[end - 1] === '\r')) end--
  return start === 0 && end === raw.length ? raw : raw.slice(start, end)
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
