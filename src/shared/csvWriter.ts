// The one CSV writer for every export (audit trail, predictions, rejected rows): RFC 4180 quoting, and text
// that a spreadsheet would run as a formula is neutralised. Cells come from users and imported files (a
// reviewer name, an external id, a label), so "=HYPERLINK(…)" or "@SUM(…)" must reach the sheet as text.

export type CsvValue = string | number | boolean | null | undefined

/** Leading characters that make Excel, LibreOffice or Sheets evaluate a cell (OWASP's CSV-injection list). */
const FORMULA_START = /^[=+\-@\t\r]/

/** One cell. Numbers and booleans are written as they are (a negative number is data, not a formula). */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  const safe = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvField).join(',')
}

/** A whole document: header, rows, CRLF line ends (what spreadsheets expect), a final line end. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [csvLine(header)]
  for (const row of rows) lines.push(csvLine(row))
  return `${lines.join('\r\n')}\r\n`
}
