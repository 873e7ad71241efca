// Encoding detection for helpdesk exports: a BOM decides; otherwise UTF-16 shows as NUL bytes in every
// other position, valid UTF-8 is UTF-8, and anything else is treated as Windows-1252 (Excel's default on
// Western Windows, a superset of Latin-1 for printable text).
import chardet from 'chardet'

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'iso-8859-1'

/** Encodings read byte by byte (recordText.ts decodes each record), as opposed to UTF-16. */
export function isByteEncoding(e: TextEncoding): e is 'utf-8' | 'windows-1252' | 'iso-8859-1' {
  return e !== 'utf-16le' && e !== 'utf-16be'
}

/** Length of the byte-order mark that `encoding` has at the start of `head`; 0 when there is none. */
export function bomLength(head: Buffer, encoding: TextEncoding): number {
  if (isByteEncoding(encoding)) return head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0
  if (encoding === 'utf-16le') return head[0] === 0xff && head[1] === 0xfe ? 2 : 0
  return head[0] === 0xfe && head[1] === 0xff ? 2 : 0
}

export interface EncodingGuess {
  readonly encoding: TextEncoding
  readonly bomBytes: number
}

export function detectEncoding(head: Buffer): EncodingGuess {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomBytes: 3 }
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomBytes: 2 }
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomBytes: 2 }
  const sample = head.subarray(0, Math.min(head.length, 4096))
  let evenNul = 0
  let oddNul = 0
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 === 0 ? evenNul++ : oddNul++
  const half = sample.length / 2
  if (half > 0 && oddNul > half * 0.3 && evenNul < half * 0.05) return { encoding: 'utf-16le', bomBytes: 0 }
  if (half > 0 && evenNul > half * 0.3 && oddNul < half * 0.05) return { encoding: 'utf-16be', bomBytes: 0 }
  if (isValidUtf8(head)) return { encoding: 'utf-8', bomBytes: 0 }
  const guess = chardet.detect(head)
  return { encoding: guess === 'ISO-8859-1' ? 'iso-8859-1' : 'windows-1252', bomBytes: 0 }
}

/** True when the bytes decode as UTF-8; a multi-byte sequence cut at the end of the sample is allowed. */
export function isValidUtf8(bytes: Buffer): boolean {
  let end = bytes.length
  // Step back over a trailing sequence that the sample boundary may have cut.
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = bytes[end - back]!
    if ((b & 0xc0) === 0x80) continue
    if ((b & 0xe0) === 0xc0 && back < 2) end -= back
    else if ((b & 0xf0) === 0xe0 && back < 3) end -= back
    else if ((b & 0xf8) === 0xf0 && back < 4) end -= back
    break
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end))
    return true
  } catch {
    return false
  }
}

/** Text that is mostly control characters is a binary file, not a CSV export. */
export function looksBinary(text: string): boolean {
  if (text.length === 0) return false
  let control = 0
  const n = Math.min(text.length, 8192)
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) control++
  }
  return control / n > 0.05
}
