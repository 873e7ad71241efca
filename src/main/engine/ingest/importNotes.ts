// What the import tells the user about rows whose text needed work to read (recordText.ts): how many
// rows for each kind of note, and the first lines of each, in the import's summary message. The rows
// themselves are imported (the text was read right, or the loss is said); rejected rows say why on their own.
import type { TextEncoding } from './encoding.ts'
import type { TextNote } from './recordText.ts'

/** Lines named per kind of note; the count says how many more there were. */
const LINES_SHOWN = 10

export class ImportNotes {
  private readonly seen = new Map<TextNote, { rows: number; lines: number[] }>()

  note(line: number, notes: readonly TextNote[] | undefined): void {
    for (const n of notes ?? []) {
      const entry = this.seen.get(n) ?? { rows: 0, lines: [] }
      entry.rows++
      if (entry.lines.length < LINES_SHOWN) entry.lines.push(line)
      this.seen.set(n, entry)
    }
  }

  /** One sentence per kind of note, e.g. "1 row was not valid UTF-8 and was read as Windows-1252 (line 9)". */
  sentences(encoding: TextEncoding): string[] {
    const out: string[] = []
    for (const kind of ORDER) {
      const entry = this.seen.get(kind)
      if (!entry) continue
      const one = entry.rows === 1
      const more = entry.rows - entry.lines.length
      const lines = `${one ? 'line' : 'lines'} ${entry.lines.join(', ')}${more > 0 ? ` and ${more.toLocaleString('en')} more` : ''}`
      out.push(`${entry.rows.toLocaleString('en')} ${one ? 'row' : 'rows'} ${WORDING[kind](one, encoding)} (${lines})`)
    }
    return out
  }
}

const ORDER: readonly TextNote[] = ['read-as-windows-1252', 'read-as-utf-8', 'nul-removed', 'replacement-character']

const WORDING: Record<TextNote, (one: boolean, encoding: TextEncoding) => string> = {
  'read-as-windows-1252': (one) => `${one ? 'was' : 'were'} not valid UTF-8 and ${one ? 'was' : 'were'} read as Windows-1252`,
  'read-as-utf-8': (one, encoding) =>
    `${one ? 'was' : 'were'} UTF-8 in a ${encoding === 'iso-8859-1' ? 'ISO-8859-1' : 'Windows-1252'} file and ${one ? 'was' : 'were'} read as UTF-8`,
  'nul-removed': () => 'had NUL bytes, removed',
  'replacement-character': (one) => `${one ? 'has' : 'have'} characters that could not be read, shown as \ufffd`
}
