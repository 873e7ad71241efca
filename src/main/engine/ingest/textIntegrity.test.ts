// Nothing is lost silently in text: bytes the detected encoding cannot read, encodings that change
// part-way through a file, NUL bytes and huge rejected rows, wherever in the file they are. Each case is
// placed past the 64 KB the encoding is detected on, which is where they used to slip through.
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../store/database.ts'
import { importErrors } from '../store/importsRepo.ts'
import { openCsv, type CsvRecord } from './csvSource.ts'
import { importCsv } from './importCsv.ts'
import { fixtureDir, utf16le, windows1252, writeFixture } from './nastyFixtures.ts'

let dir: string
let db: Db

beforeEach(() => {
  dir = fixtureDir()
  db = openDatabase(join(dir, 'test.sqlite'))
})
afterEach(() => db.close())

/** ASCII rows 2..n+1 that fill well past the 64 KB head the encoding is detected on. */
function filler(n: number): string {
  return Array.from({ length: n }, (_, i) => `${i + 1},filler ${i + 1},${'plain ascii text '.repeat(6)}\n`).join('')
}
const FILLER_ROWS = 2000 // about 230 KB

async function records(path: string): Promise<CsvRecord[]> {
  const out: CsvRecord[] = []
  for await (const r of (await openCsv(path)).records()) out.push(r)
  return out
}

function subjectOf(externalId: string): string {
  return (db.prepare('SELECT subject FROM tickets WHERE external_id = ?').get(externalId) as { subject: string }).subject
}

describe('text that the detected encoding cannot read', () => {
  it('reads a stray Windows-1252 byte at ~230 KB of a UTF-8 file as Windows-1252 and says which line', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`id,subject,body\n${filler(FILLER_ROWS)}`),
      Buffer.from('9001,caf'), Buffer.from([0xe9]), Buffer.from(' au lait,d\u00e9j\u00e0 vu\n'),
      Buffer.from('9002,last,row\n')
    ])
    expect(bytes.indexOf(0xe9)).toBeGreaterThan(200_000)
    const path = writeFixture(dir, 'late-stray.csv', bytes)
    const source = await openCsv(path)
    expect(source.encoding).toBe('utf-8')
    const rows = await records(path)
    const stray = rows.find((r) => r.fields[0] === '9001')!
    expect(stray.line).toBe(FILLER_ROWS + 2)
    // The stray byte is Windows-1252; the valid UTF-8 in the same row stays UTF-8.
    expect(stray.fields).toEqual(['9001', 'caf\u00e9 au lait', 'd\u00e9j\u00e0 vu'])
    expect(stray.raw).toBe('9001,caf\u00e9 au lait,d\u00e9j\u00e0 vu')
    expect(stray.notes).toEqual(['read-as-windows-1252'])
    expect(rows.filter((r) => r.notes).length).toBe(1)

    const s = await importCsv(db, source)
    expect(s).toMatchObject({ read: FILLER_ROWS + 2, imported: FILLER_ROWS + 2, rejected: 0 })
    expect(subjectOf('9001')).toBe('caf\u00e9 au lait')
    expect(s.message).toContain(`1 row was not valid UTF-8 and was read as Windows-1252 (line ${FILLER_ROWS + 2})`)
  })

  it('reads a file whose rows switch between UTF-8 and Windows-1252 row by row, naming the odd ones', async () => {
    const utf8Rows = 'id,subject,body\n1,Probl\u00e8me r\u00e9seau,c\u00e2ble d\u00e9branch\u00e9\n'
    const bytes = Buffer.concat([
      Buffer.from(utf8Rows + filler(FILLER_ROWS).replace(/^1,/, '100000,')),
      windows1252('9001,Mot de passe oubli\u00e9,R\u00e9initialiser le compte de Zo\u00eb\n'),
      Buffer.from('9002,\u00c7a marche \u2713,m\u00eame en UTF-8\n'),
      windows1252('9003,\u20ac 5 rembours\u00e9s,na\u00efve fa\u00e7ade\n')
    ])
    const s = await importCsv(db, await openCsv(writeFixture(dir, 'mixed.csv', bytes)))
    expect(s).toMatchObject({ imported: FILLER_ROWS + 4, rejected: 0 })
    expect(subjectOf('1')).toBe('Probl\u00e8me r\u00e9seau')
    expect(subjectOf('9001')).toBe('Mot de passe oubli\u00e9')
    expect(subjectOf('9002')).toBe('\u00c7a marche \u2713')
    expect(subjectOf('9003')).toBe('\u20ac 5 rembours\u00e9s')
    expect(s.message).toContain(`2 rows were not valid UTF-8 and were read as Windows-1252 (lines ${FILLER_ROWS + 3}, ${FILLER_ROWS + 5})`)
  })

  it('reads UTF-8 rows late in a Windows-1252 file as UTF-8 instead of mojibake, naming them', async () => {
    const bytes = Buffer.concat([
      windows1252(`id;sujet;texte\n1;Probl\u00e8me r\u00e9seau;c\u00e2ble\n${filler(FILLER_ROWS).replaceAll(',', ';').replace(/^1;/, '100000;')}`),
      Buffer.from('9001;Caf\u00e9 cr\u00e8me \u2713;d\u00e9j\u00e0 pay\u00e9\n')
    ])
    const source = await openCsv(writeFixture(dir, 'late-utf8.csv', bytes))
    expect(source.encoding).toMatch(/windows-1252|iso-8859-1/)
    const s = await importCsv(db, source)
    expect(s).toMatchObject({ imported: FILLER_ROWS + 2, rejected: 0 })
    expect(subjectOf('1')).toBe('Probl\u00e8me r\u00e9seau')
    expect(subjectOf('9001')).toBe('Caf\u00e9 cr\u00e8me \u2713')
    // chardet calls Windows-1252 text ISO-8859-1 when it has no bytes in 80–9F.
    expect(s.message).toMatch(new RegExp(`1 row was UTF-8 in a (Windows-1252|ISO-8859-1) file and was read as UTF-8 \\(line ${FILLER_ROWS + 3}\\)`))
  })

  it('keeps the five bytes Windows-1252 leaves undefined as their C1 code points, not U+FFFD', async () => {
    const bytes = Buffer.concat([windows1252('id;texte\n1;caf\u00e9 '), Buffer.from([0x81, 0x8d, 0x8f, 0x90, 0x9d]), Buffer.from('\n')])
    const [r] = await records(writeFixture(dir, 'undefined.csv', bytes))
    expect(r!.fields[1]).toBe('caf\u00e9 \u0081\u008d\u008f\u0090\u009d')
    expect(r!.fields[1]).not.toContain('\ufffd')
  })

  it('flags U+FFFD already in the file, and a UTF-16 row with a broken surrogate or a cut last byte', async () => {
    const fffd = await records(writeFixture(dir, 'fffd.csv', 'id,subject\n1,lost \ufffd before export\n2,fine\n'))
    expect(fffd.map((r) => r.notes)).toEqual([['replacement-character'], undefined])
    const lone = Buffer.concat([utf16le('id,subject\n1,half '), Buffer.from([0x3d, 0xd8]), utf16le(' pair\n2,odd', false), Buffer.from([0x41])])
    const rows = await records(writeFixture(dir, 'lone.csv', lone))
    expect(rows.map((r) => r.fields[1])).toEqual(['half \ufffd pair', 'odd\ufffd'])
    expect(rows.map((r) => r.notes)).toEqual([['replacement-character'], ['replacement-character']])
    const s = await importCsv(db, await openCsv(writeFixture(dir, 'lone2.csv', lone)))
    expect(s.message).toContain('2 rows have characters that could not be read, shown as \ufffd (lines 2, 3)')
  })
})

describe('NUL bytes', () => {
  it('removes a NUL anywhere in a text file, early or ~230 KB in, with the same per-row note', async () => {
    const early = Buffer.concat([Buffer.from('id,subject,body\n1,nul'), Buffer.from([0]), Buffer.from('here,x\n')])
    const late = Buffer.concat([
      Buffer.from(`id,subject,body\n${filler(FILLER_ROWS)}9001,nul`), Buffer.from([0, 0]), Buffer.from('here,x\n')
    ])
    for (const [name, bytes, line, id] of [['early.csv', early, 2, '1'], ['late.csv', late, FILLER_ROWS + 2, '9001']] as const) {
      const path = writeFixture(dir, name, bytes)
      const rows = await records(path)
      const hit = rows.find((r) => r.fields[0] === id)!
      expect(hit).toMatchObject({ line, fields: [id, 'nulhere', 'x'], notes: ['nul-removed'] })
      expect(hit.raw).not.toContain('\0')
      const s = await importCsv(db, await openCsv(path))
      expect(s.rejected).toBe(0)
      expect(subjectOf(id)).toBe('nulhere')
      expect(s.message).toContain(`1 row had NUL bytes, removed (line ${line})`)
    }
  })

  it('removes NULs from a UTF-16 file the same way', async () => {
    const rows = await records(writeFixture(dir, 'nul16.csv', utf16le('id,subject\n1,a\u0000b\n2,a longer row of plain text\n')))
    expect(rows[0]).toMatchObject({ fields: ['1', 'ab'], notes: ['nul-removed'] })
  })

  it('still refuses a file that is mostly NULs as not text', async () => {
    const bytes = Buffer.concat([Buffer.from('id,subject\n1,'), Buffer.alloc(4096), Buffer.from('\n')])
    await expect(openCsv(writeFixture(dir, 'nuls.csv', bytes))).rejects.toMatchObject({ code: 'FILE_NOT_TEXT' })
  })
})

describe('rejected rows', () => {
  it('keep a 64 KB excerpt of a huge row, saying it was cut and how long it was', async () => {
    const huge = 'y'.repeat(5 * 1024 * 1024)
    const s = await importCsv(db, await openCsv(writeFixture(dir, 'huge.csv', `id,subject,body\n1,ok,fine\n2,big,${huge}\n3,short\n`)))
    expect(s).toMatchObject({ read: 3, imported: 1, rejected: 2 })
    const [big, short] = importErrors(db, s.importId, 0, 10).rows
    expect(big!.line).toBe(3)
    expect(big!.raw.length).toBeLessThan(66 * 1024)
    expect(big!.raw.startsWith(`2,big,yyy`)).toBe(true)
    expect(big!.raw).toMatch(/cut: the row is 5,242,886 characters; the first 65,536 are kept/)
    expect(short!.raw).toBe('3,short')
  })

  it('cut on a character boundary, never half a surrogate pair', async () => {
    const body = '\u{1F600}'.repeat(40_000) // 80,000 UTF-16 code units
    const s = await importCsv(db, await openCsv(writeFixture(dir, 'emoji.csv', `id,subject,body,extra\n1,xy,${body}\n`)))
    const [e] = importErrors(db, s.importId, 0, 1).rows
    expect(e!.raw).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/)
    expect(e!.raw).not.toContain('\ufffd')
  })

  it('start at their own line after blank lines', async () => {
    const s = await importCsv(db, await openCsv(writeFixture(dir, 'blank.csv', 'id,subject,body\n1,a,b\n\n\n2,short\n')))
    const [e] = importErrors(db, s.importId, 0, 1).rows
    expect(e).toMatchObject({ line: 5, raw: '2,short' })
  })
})
