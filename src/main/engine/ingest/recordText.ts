// Turns the text csv-parse gives for one record into the text a ticket keeps, and notes each thing done
// to it on the way, so that nothing changes without the import saying which row it was:
// - 8-bit files are parsed as bytes (latin1, one character per byte; every CSV quote, delimiter and line
//   break is ASCII, so parsing bytes finds the same records) and each record is decoded on its own,
//   UTF-8 where it is UTF-8 and Windows-1252 elsewhere (byteText.ts). The file's detected encoding only
//   says which of the two is expected; the other one is noted.
// - UTF-16 files are decoded while streaming; an unpaired surrogate becomes U+FFFD.
// - NUL is never text: it is removed wherever it is, and noted.
// - U+FFFD, whether from the file itself or from a broken UTF-16 sequence, is noted: text was lost.
import { decodeByteText } from './byteText.ts'
import { isByteEncoding, type TextEncoding } from './encoding.ts'

export type TextNote = 'read-as-windows-1252' | 'read-as-utf-8' | 'nul-removed' | 'replacement-character'

export interface RecordText {
  readonly fields: string[]
  readonly raw: string
  /** What was done to the text, when anything was. */
  readonly notes?: readonly TextNote[]
}

export type RecordDecoder = (fields: string[], raw: string) => RecordText

export function recordDecoder(encoding: TextEncoding): RecordDecoder {
  return isByteEncoding(encoding) ? byteRecordDecoder(encoding === 'utf-8') : utf16RecordDecoder
}

/** Anything but ASCII without NUL needs a look. */
const NEEDS_DECODING = /[^\x01-\x7f]/

function byteRecordDecoder(expectUtf8: boolean): RecordDecoder {
  return (fields, raw) => {
    if (!NEEDS_DECODING.test(raw)) return { fields, raw }
    const whole = decodeByteText(raw)
    const notes: TextNote[] = []
    if (expectUtf8 && whole.usedWindows1252) notes.push('read-as-windows-1252')
    if (!expectUtf8 && whole.usedUtf8) notes.push('read-as-utf-8')
    // A UTF-8 sequence never spans an ASCII delimiter or quote, so each field decodes as it did in raw.
    return clean(fields.map((f) => (NEEDS_DECODING.test(f) ? decodeByteText(f).text : f)), whole.text, notes)
  }
}

const NEEDS_CLEANING = /[\0\ufffd\ud800-\udfff]/

function utf16RecordDecoder(fields: string[], raw: string): RecordText {
  if (!NEEDS_CLEANING.test(raw)) return { fields, raw }
  return clean(fields.map(wellFormed), wellFormed(raw), [])
}

/** String.prototype.toWellFormed, which the ES2023 library this project targets does not declare. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\ufffd')
}

function clean(fields: string[], raw: string, notes: TextNote[]): RecordText {
  if (raw.includes('\0')) {
    notes.push('nul-removed')
    fields = fields.map((f) => f.replaceAll('\0', ''))
    raw = raw.replaceAll('\0', '')
  }
  if (raw.includes('\ufffd')) notes.push('replacement-character')
  return notes.length > 0 ? { fields, raw, notes } : { fields, raw }
}
