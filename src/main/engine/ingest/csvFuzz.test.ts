// Property-based fuzzing of the CSV reader and the import: random text, quoting, delimiters, line ends and
// encodings (UTF-8 with and without BOM, UTF-16 LE/BE with BOM, Windows-1252), and random bytes. The
// reader alone is cheap and gets most runs; the end-to-end property imports into a real SQLite database.
// FUZZ_RUNS=2000 npx vitest run src/main/engine/ingest/csvFuzz.test.ts runs each property that many times.
import { rmSync } from 'node:fs'
import fc from 'fast-check'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportSummary } from '../../../shared/domain.ts'
import { EngineError } from '../../../shared/errors.ts'
import { openDatabase, type Db } from '../store/database.ts'
import { openCsv, type CsvProblem, type CsvRecord } from './csvSource.ts'
import type { Delimiter } from './delimiter.ts'
import { importCsv } from './importCsv.ts'
import { fixtureDir, writeFixture } from './nastyFixtures.ts'

const RUNS = Number(process.env['FUZZ_RUNS']) || 0
const runs = (byDefault: number): number => RUNS || byDefault
/** More runs need more time; a failure prints its seed and path, so fc.assert can replay it. */
const timeout = (byDefault: number): number => Math.max(60_000, runs(byDefault) * 500)

/** The clear errors a file may end in; anything else escaping the reader is a bug. */
const EXPECTED_CODES = ['FILE_NOT_TEXT', 'FILE_EMPTY', 'NO_TEXT_COLUMN']

type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252'
const ENCODINGS: readonly Encoding[] = ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252']
const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|']

function encode(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(text)
    case 'utf-8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])
    case 'utf-16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])
    case 'utf-16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')])
    case 'windows-1252':
      return iconv.encode(text, 'windows-1252')
  }
}

// Characters a cell is made of. The Windows-1252 ones avoid bytes 80–BF, which after a byte in C2–F4
// could form valid UTF-8 and be read as such (byteText.ts says why that is the right bet on real text).
const STRUCTURE = [',', ';', '\t', '|', '"', '\n', '\r', ' ']
const ASCII = [...'abcdefxyzABCXYZ0123456789-_.:/@#']
const LATIN = [...'àâçéèêëîïôùûüÿæÀÂÇÉÈÊÜßñö']
const UNICODE = ['€', '’', '✓', 'ж', '中', '😀', 'ﬁ', 'ä']

function cell(encoding: Encoding): fc.Arbitrary<string> {
  const chars = encoding === 'windows-1252' ? [...STRUCTURE, ...ASCII, ...LATIN] : [...STRUCTURE, ...ASCII, ...LATIN, ...UNICODE]
  return fc.string({ unit: fc.constantFrom(...chars), maxLength: 30 })
}

/** Header names the importer knows (an id makes updates, duplicates and conflicts possible), or any text. */
function headerCell(encoding: Encoding): fc.Arbitrary<string> {
  return fc.oneof(cell(encoding), fc.constantFrom('id', 'subject', 'body', 'queue', 'priority', 'Ticket ID', 'Created time'))
}

interface Table {
  readonly encoding: Encoding
  readonly delimiter: Delimiter
  readonly quoteAll: boolean
  readonly eol: '\n' | '\r\n'
  readonly header: string[]
  readonly rows: string[][]
}

const table: fc.Arbitrary<Table> = fc
  .record({
    encoding: fc.constantFrom(...ENCODINGS),
    delimiter: fc.constantFrom(...DELIMITERS),
    quoteAll: fc.boolean(),
    eol: fc.constantFrom('\n' as const, '\r\n' as const),
    cols: fc.integer({ min: 1, max: 5 })
  })
  .chain(({ cols, ...rest }) =>
    fc.record({
      header: fc.array(headerCell(rest.encoding), { minLength: cols, maxLength: cols }),
      rows: fc.array(fc.array(cell(rest.encoding), { minLength: cols, maxLength: cols }), { maxLength: 12 })
    }).map((t) => ({ ...rest, ...t }))
  )

function csvText(t: Table): string {
  const quote = (c: string, cols: number): string => {
    // A lone empty cell would be an empty line, which CSV readers skip.
    const needed = /[,;\t|"\r\n]/.test(c) || (cols === 1 && c === '')
    return t.quoteAll || needed ? `"${c.replaceAll('"', '""')}"` : c
  }
  return [t.header, ...t.rows].map((r) => r.map((c) => quote(c, r.length)).join(t.delimiter) + t.eol).join('')
}

async function readAll(path: string, options?: { delimiter: Delimiter }) {
  const source = await openCsv(path, options)
  const records: CsvRecord[] = []
  const problems: CsvProblem[] = []
  for await (const r of source.records((p) => problems.push(p))) records.push(r)
  return { source, records, problems }
}

/** Runs `body`, and lets through only the errors a user is meant to see for a bad file. */
async function expectClearErrors<T>(body: () => Promise<T>): Promise<T | undefined> {
  try {
    return await body()
  } catch (err) {
    if (!(err instanceof EngineError) || !EXPECTED_CODES.includes(err.code)) throw err
    return undefined
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Text never carries NUL or a broken surrogate, and never U+FFFD without saying so. */
function expectHonestText(r: CsvRecord): void {
  for (const s of [...r.fields, r.raw]) {
    expect(s).not.toContain('\0')
    expect(s).not.toMatch(LONE_SURROGATE)
    if (s.includes('\ufffd')) expect(r.notes).toContain('replacement-character')
  }
  expect(r.line).toBeGreaterThanOrEqual(2)
}

// Random bytes with some structure in them: lines of CSV-ish text in any encoding, stray bytes, NULs,
// quotes and delimiters, behind any byte-order mark.
const junkPiece: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.from(b)),
  fc.constantFrom(...[0x00, 0x22, 0x2c, 0x3b, 0x09, 0x7c, 0xe9, 0xc3, 0x81, 0xff, 0x0d].map((b) => Buffer.from([b]))),
  fc.tuple(cell('utf-8'), fc.constantFrom(...ENCODINGS)).map(([s, e]) => encode(s, e).subarray(e === 'utf-8-bom' ? 3 : e.startsWith('utf-16') ? 2 : 0))
)
const junk: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.constantFrom<Buffer>(Buffer.alloc(0), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])),
    fc.array(fc.array(junkPiece, { maxLength: 8 }), { maxLength: 12 }),
    fc.constantFrom('\n', '\r\n')
  )
  .map(([bom, lines, eol]) => Buffer.concat([bom, ...lines.flatMap((l) => [...l, Buffer.from(eol)])]))

let dir: string
let n = 0
const file = (content: Buffer): string => writeFixture(dir, `fuzz-${n++}.csv`, content)

beforeAll(() => {
  dir = fixtureDir()
})
// Hundreds of files per run, some of 70 KB: leave nothing behind in the temp folder.
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('CSV reader fuzzing', () => {
  it('reads back every table written in any encoding, delimiter, quoting and line end, untouched', async () => {
    await fc.assert(
      fc.asyncProperty(table, async (t) => {
        const { records, problems, source } = await readAll(file(encode(csvText(t), t.encoding)), { delimiter: t.delimiter })
        expect(problems).toEqual([])
        expect(source.headers).toEqual(t.header.map((h) => h.trim()))
        expect(records.map((r) => r.fields)).toEqual(t.rows)
        expect(records.filter((r) => r.notes)).toEqual([])
        // Line numbers: csv-parse counts lines inside quoted fields its own way when they hold a CR, so
        // they are checked where every line break is a plain LF.
        if (![t.header, ...t.rows].some((r) => r.some((c) => c.includes('\r'))) && t.eol === '\n') {
          let line = 2 + t.header.join('').split('\n').length - 1
          for (const [i, r] of records.entries()) {
            expect(r.line).toBe(line)
            line += t.rows[i]!.join('').split('\n').length
          }
        }
      }),
      { numRuns: runs(200) }
    )
  }, timeout(200))

  it('reads a file whose cells switch between UTF-8 and Windows-1252, naming the rows not in its encoding', async () => {
    // Each cell is in either encoding; a 70 KB first row makes the 64 KB head plain ASCII (so the file is
    // detected as UTF-8 and every Windows-1252 cell comes late) in half of the runs.
    const mixedCell = fc.oneof(
      cell('utf-8').map((text) => ({ text, bytes: Buffer.from(text), utf8: true })),
      cell('windows-1252').map((text) => ({ text, bytes: iconv.encode(text, 'windows-1252'), utf8: false }))
    )
    const mixed = fc.record({
      delimiter: fc.constantFrom(...DELIMITERS),
      cols: fc.integer({ min: 2, max: 4 }),
      longHead: fc.boolean()
    }).chain((m) => fc.record({ rows: fc.array(fc.array(mixedCell, { minLength: m.cols, maxLength: m.cols }), { maxLength: 10 }) }).map((r) => ({ ...m, ...r })))
    await fc.assert(
      fc.asyncProperty(mixed, async ({ delimiter, cols, longHead, rows }) => {
        const quoted = (b: Buffer): Buffer => Buffer.concat([Buffer.from('"'), Buffer.from(b.toString('latin1').replaceAll('"', '""'), 'latin1'), Buffer.from('"')])
        const line = (cells: Buffer[]): Buffer => Buffer.concat([...cells.flatMap((c, i) => (i ? [Buffer.from(delimiter), quoted(c)] : [quoted(c)])), Buffer.from('\n')])
        const header = line(Array.from({ length: cols }, (_, i) => Buffer.from(`h${i}`)))
        const filler = longHead ? [line(Array.from({ length: cols }, () => Buffer.from('x'.repeat(70_000))))] : []
        const path = file(Buffer.concat([header, ...filler, ...rows.map((r) => line(r.map((c) => c.bytes)))]))
        const { source, records, problems } = await readAll(path, { delimiter })
        expect(problems).toEqual([])
        const data = records.slice(filler.length)
        expect(data.map((r) => r.fields)).toEqual(rows.map((r) => r.map((c) => c.text)))
        if (longHead) expect(source.encoding).toBe('utf-8')
        const expectUtf8 = source.encoding === 'utf-8'
        const odd = (r: typeof rows[number]): boolean => r.some((c) => c.utf8 !== expectUtf8 && /[^\x00-\x7f]/.test(c.text))
        expect(data.map((r) => r.notes)).toEqual(rows.map((r) => (odd(r) ? [expectUtf8 ? 'read-as-windows-1252' : 'read-as-utf-8'] : undefined)))
      }),
      { numRuns: runs(80) }
    )
  }, timeout(80))

  it('never throws anything but a clear error on random bytes, and never hides lost text', async () => {
    await fc.assert(
      fc.asyncProperty(junk, async (bytes) => {
        const read = await expectClearErrors(() => readAll(file(bytes)))
        if (!read) return
        for (const r of read.records) expectHonestText(r)
        for (const p of read.problems) expect(p.raw).not.toContain('\0')
      }),
      { numRuns: runs(200) }
    )
  }, timeout(200))
})

describe('CSV import fuzzing (SQLite)', () => {
  let db: Db
  beforeAll(() => {
    db = openDatabase(':memory:')
  })
  afterAll(() => db.close())

  // Tables as above, with some cells broken: a stray Windows-1252 byte, a NUL, an unclosed quote.
  const damaged: fc.Arbitrary<Buffer> = fc
    .tuple(table, fc.array(fc.tuple(fc.nat(), fc.constantFrom([0xe9], [0x00], [0x22], [0x81], [0xc3, 0x28])), { maxLength: 3 }))
    .map(([t, hits]) => {
      const bytes = encode(csvText(t), t.encoding)
      const at = (k: number): number => Math.min(bytes.length, (k % (bytes.length + 1)) & ~1)
      const cuts = hits.map(([k, b]) => [at(k), Buffer.from(b)] as const).sort((a, b) => a[0] - b[0])
      const parts: Buffer[] = []
      let from = 0
      for (const [k, b] of cuts) {
        parts.push(bytes.subarray(from, k), b)
        from = k
      }
      parts.push(bytes.subarray(from))
      return Buffer.concat(parts)
    })

  it('counts every row it reads: read = imported + updated + duplicate + rejected, one error row per rejection', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: damaged, weight: 4 }, { arbitrary: junk, weight: 1 }), async (bytes) => {
        const path = file(bytes)
        const s: ImportSummary | undefined = await expectClearErrors(async () => importCsv(db, await openCsv(path)))
        if (!s) return
        expect(s.status).toBe('done')
        expect(s.imported + s.updated + s.duplicate + s.rejected).toBe(s.read)
        const errors = db.prepare('SELECT COUNT(*) AS n FROM import_errors WHERE import_id = ?').get(s.importId) as { n: number }
        expect(errors.n).toBe(s.rejected)
        const { records, problems } = await readAll(path)
        expect(records.length + problems.length).toBe(s.read)
        for (const r of records) expectHonestText(r)
        if (records.some((r) => r.notes)) expect(s.message).toMatch(/\(lines? \d/)
      }),
      { numRuns: runs(100) }
    )
  }, timeout(100))
})
