// Delimiter sniffing: count each candidate outside quotes on the first lines and prefer the one that
// appears most consistently (same count on every line), then most often.
export type Delimiter = ',' | ';' | '\t' | '|'
const CANDIDATES: readonly Delimiter[] = [',', ';', '\t', '|']

export function sniffDelimiter(sample: string): Delimiter {
  const records = splitRecords(sample, 20)
  let best: Delimiter = ','
  let bestScore = -1
  for (const d of CANDIDATES) {
    const counts = records.map((r) => countOutsideQuotes(r, d))
    const first = counts[0] ?? 0
    if (first === 0) continue
    const consistent = counts.filter((c) => c === first).length / counts.length
    const score = consistent * 1000 + first
    if (score > bestScore) {
      bestScore = score
      best = d
    }
  }
  return best
}

/** Splits on newlines that are outside quotes, so multi-line fields stay in one record. */
function splitRecords(text: string, max: number): string[] {
  const out: string[] = []
  let inQuotes = false
  let start = 0
  for (let i = 0; i < text.length && out.length < max; i++) {
    const c = text[i]
    if (c === '"') inQuotes = !inQuotes
    else if (c === '\n' && !inQuotes) {
      out.push(text.slice(start, i))
      start = i + 1
    }
  }
  // The last record may be cut by the sample boundary; use it only when it is the only one.
  if (out.length === 0) out.push(text.slice(start))
  return out.filter((r) => r.trim().length > 0)
}

function countOutsideQuotes(record: string, d: string): number {
  let inQuotes = false
  let n = 0
  for (const c of record) {
    if (c === '"') inQuotes = !inQuotes
    else if (c === d && !inQuotes) n++
  }
  return n
}
