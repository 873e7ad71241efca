// Dates in helpdesk exports come in each vendor's format. They are stored as sortable ISO-8601 text;
// a date without an offset is read as local time (what the exporting helpdesk meant), one with an offset
// keeps it. Unparseable dates stay in the raw record and the ticket has no created date.
const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11
}

export function parseTicketDate(text: string): string | null {
  const s = text.trim()
  if (!s) return null
  // ISO and ISO-like: 2023-06-01, 2023-06-01 12:15:36, 2023-06-01T12:15:36Z
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(s)
  if (m) {
    if (m[7]) return validIso(new Date(s.replace(' ', 'T')))
    return local(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0))
  }
  // Jira: 09/Oct/25 1:42 PM
  m = /^(\d{1,2})\/([A-Za-z]{3})\/(\d{2,4})(?:\s+(\d{1,2}):(\d{2})(?:\s*([AP]M))?)?$/i.exec(s)
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()]
    if (month === undefined) return null
    const year = m[3]!.length === 2 ? 2000 + +m[3]! : +m[3]!
    return local(year, month, +m[1]!, hour12(+(m[4] ?? 0), m[6]), +(m[5] ?? 0), 0)
  }
  // Day-first or month-first with slashes or dots: 31/12/2024 13:00, 12/31/2024 1:00 PM, 31.12.2024
  m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AP]M))?)?$/i.exec(s)
  if (m) {
    let day = +m[1]!
    let month = +m[2]!
    // US exports write the month first; only a first number above 12 proves day-first.
    if (day <= 12 && month <= 12 && s.includes('/')) [day, month] = [month, day]
    if (month > 12) [day, month] = [month, day]
    return local(+m[3]!, month - 1, day, hour12(+(m[4] ?? 0), m[7]), +(m[5] ?? 0), +(m[6] ?? 0))
  }
  const t = Date.parse(s)
  return Number.isNaN(t) ? null : validIso(new Date(t))
}

function hour12(h: number, ampm: string | undefined): number {
  if (!ampm) return h
  const pm = ampm.toUpperCase() === 'PM'
  return (h % 12) + (pm ? 12 : 0)
}

function local(y: number, mo: number, d: number, h: number, mi: number, s: number): string | null {
  const date = new Date(y, mo, d, h, mi, s)
  if (date.getMonth() !== mo || date.getDate() !== d) return null
  return validIso(date)
}

function validIso(d: Date): string | null {
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}
