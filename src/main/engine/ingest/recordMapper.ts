// Turns one CSV record into a ticket candidate, or a rejection with a reason a support agent can act on.
import { createHash } from 'node:crypto'
import type { ColumnMapping } from '../../../shared/domain.ts'
import { parseTicketDate } from './ticketDate.ts'

/** No helpdesk puts a megabyte into one field of a ticket (Zendesk drops tickets over 1 MB); above it a row is rejected. */
export const MAX_FIELD_CHARS = 1_000_000

export interface TicketCandidate {
  /** External id from the file, or null when the file has none (identity then comes from the content). */
  readonly externalId: string | null
  readonly subject: string
  readonly body: string
  readonly created: string | null
  readonly status: string | null
  readonly priority: string | null
  readonly labels: readonly (readonly [target: string, value: string])[]
  readonly raw: string
  readonly contentHash: string
}

export interface Rejection {
  readonly reason: string
  readonly column?: string
}

export class RecordMapper {
  private readonly rawKeys: string[]

  constructor(
    private readonly headers: readonly string[],
    private readonly mapping: ColumnMapping
  ) {
    // Jira repeats headers (Labels, Labels): every column keeps its own key so nothing is lost.
    const seen = new Map<string, number>()
    this.rawKeys = headers.map((h, i) => {
      const name = h || `Column ${i + 1}`
      const n = (seen.get(name) ?? 0) + 1
      seen.set(name, n)
      return n === 1 ? name : `${name} (${n})`
    })
  }

  map(fields: readonly string[]): TicketCandidate | Rejection {
    const n = this.headers.length
    if (fields.length < n) {
      return { reason: `expected ${n} fields but found ${fields.length} (a ragged or cut row)` }
    }
    for (let i = n; i < fields.length; i++) {
      if (fields[i] !== '') return { reason: `expected ${n} fields but found ${fields.length} (extra values after the last column)` }
    }
    for (let i = 0; i < n; i++) {
      if (fields[i]!.length > MAX_FIELD_CHARS) {
        return {
          reason: `field is ${fields[i]!.length.toLocaleString('en')} characters, above the ${MAX_FIELD_CHARS.toLocaleString('en')} limit`,
          column: this.rawKeys[i]!
        }
      }
    }
    const f = this.mapping.fields
    const get = (i: number | undefined): string => (i === undefined ? '' : fields[i]!.trim())
    const subject = get(f.subject)
    let body = get(f.body)
    for (const extra of this.mapping.extraText ?? []) {
      const t = get(extra)
      if (t) body = body ? `${body}\n\n${t}` : t
    }
    if (!subject && !body) {
      const cols = [f.subject, f.body].filter((i) => i !== undefined).map((i) => this.rawKeys[i!])
      return { reason: 'the ticket has no text', column: cols.join(' / ') || undefined } as Rejection
    }
    const labels: [string, string][] = []
    for (const [target, col] of Object.entries(this.mapping.targets)) {
      const v = get(col)
      if (v) labels.push([target, v])
    }
    const raw: Record<string, string> = {}
    for (let i = 0; i < n; i++) raw[this.rawKeys[i]!] = fields[i]!
    const hash = createHash('sha1')
    for (let i = 0; i < n; i++) hash.update(fields[i]!).update('\u001f')
    return {
      externalId: get(f.externalId) || null,
      subject,
      body,
      created: f.created === undefined ? null : parseTicketDate(get(f.created)),
      status: get(f.status) || null,
      priority: get(f.priority) || null,
      labels,
      raw: JSON.stringify(raw),
      contentHash: hash.digest('hex')
    }
  }
}

export function isRejection(x: TicketCandidate | Rejection): x is Rejection {
  return 'reason' in x
}
