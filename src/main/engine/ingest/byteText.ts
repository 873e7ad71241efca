// Decoding for the 8-bit exports (UTF-8, Windows-1252, ISO-8859-1): every well-formed UTF-8 sequence is
// read as UTF-8 and every other byte as Windows-1252. A stray Latin-1 byte in a UTF-8 file is then read
// right, and so is a UTF-8 row pasted into a Windows-1252 file, which a whole-file encoding cannot do.
// Real Windows-1252 text almost never forms a valid multi-byte UTF-8 sequence (that needs a byte in
// C2–F4 followed by one or more in 80–BF, such as "Ã©"), which is why UTF-8 is tried first.
// No library offers this per-byte fallback (iconv-lite and TextDecoder decode one encoding or replace
// with U+FFFD), so the well-formedness rules of Unicode's table 3-7 are spelled out here.
import { isUtf8 } from 'node:buffer'
import iconv from 'iconv-lite'

export interface ByteTextDecoding {
  readonly text: string
  /** Some bytes were not UTF-8 and were read as Windows-1252. */
  readonly usedWindows1252: boolean
  /** Some multi-byte UTF-8 sequences were read. */
  readonly usedUtf8: boolean
}

/**
 * Windows-1252 for bytes 80–FF. Its five undefined bytes (81, 8D, 8F, 90, 9D) become the C1 code
 * points, as Windows and the WHATWG decoder do, where iconv-lite gives U+FFFD and the byte would be lost.
 */
const WINDOWS_1252: string = (() => {
  const chars = [...iconv.decode(Buffer.from(Array.from({ length: 256 }, (_, b) => b)), 'windows-1252')]
  return chars.map((c, b) => (c === '\ufffd' ? String.fromCharCode(b) : c)).join('')
})()

/** The file's bytes as a string, one character per byte (latin1), as csv-parse saw them. */
export function decodeByteText(latin1: string): ByteTextDecoding {
  const bytes = Buffer.from(latin1, 'latin1')
  if (isUtf8(bytes)) return { text: bytes.toString('utf8'), usedWindows1252: false, usedUtf8: NOT_ASCII.test(latin1) }
  let text = ''
  let usedUtf8 = false
  let runStart = 0
  for (let i = 0; i < bytes.length; ) {
    if (bytes[i]! < 0x80) {
      i++
      continue
    }
    const n = utf8SequenceLength(bytes, i)
    if (n > 0) {
      usedUtf8 = true
      i += n
      continue
    }
    text += bytes.toString('utf8', runStart, i) + WINDOWS_1252[bytes[i]!]
    i++
    runStart = i
  }
  text += bytes.toString('utf8', runStart)
  return { text, usedWindows1252: true, usedUtf8 }
}

const NOT_ASCII = /[\x80-\xff]/

/** Length of the well-formed multi-byte UTF-8 sequence starting at `i`, or 0 when there is none. */
function utf8SequenceLength(bytes: Buffer, i: number): number {
  const b = bytes[i]!
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const c = bytes[i + k]
    return c !== undefined && c >= lo && c <= hi
  }
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0
  if (b === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0
  if (b === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0 // no UTF-16 surrogates
  if (b >= 0xe1 && b <= 0xef) return cont(1) && cont(2) ? 3 : 0
  if (b === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0
  if (b >= 0xf1 && b <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0
  if (b === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0
  return 0
}
