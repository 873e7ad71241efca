// Auto-mapping of helpdesk export headers to ticket fields and label targets. Synonyms come from the real
// exports of Zendesk, Freshdesk, Jira / JSM, ServiceNow, osTicket, Help Scout and generic CSVs
// (shared/docs/HELPDESK-EXPORTS.md). The user fixes the result in the mapping step.
import type { ColumnMapping, TicketField } from '../../../shared/domain.ts'
import { EngineError } from '../../../shared/errors.ts'

const FIELD_SYNONYMS: Record<TicketField, readonly string[]> = {
  // Jira's issue key is preferred over its numeric issue id, so it comes first.
  externalId: ['issue key', 'id', 'ticket id', 'ticket number', 'number', 'issue id', 'key', 'conversation id', 'ticket', 'case number'],
  subject: ['subject', 'summary', 'short description', 'short_description', 'title', 'sujet', 'betreff', 'asunto', 'assunto', 'oggetto'],
  body: ['description', 'description_text', 'body', 'text', 'document', 'message', 'content', 'details', 'beschreibung', 'descripción', 'descripcion', 'descrição', 'descrizione'],
  created: ['created at', 'created time', 'created', 'opened_at', 'opened at', 'sys_created_on', 'date created', 'created date', 'date'],
  status: ['status', 'state', 'incident_state', 'current status'],
  priority: ['priority']
}

/** Columns that usually hold a routing decision a model can learn (queue, group, category, type, priority). */
const TARGET_SYNONYMS: readonly string[] = [
  'queue', 'group', 'assignment group', 'assignment_group', 'department', 'team', 'team assigned', 'project key',
  'category', 'subcategory', 'sub-category', 'topic', 'topic group', 'topic_group', 'help topic', 'type',
  'ticket type', 'issue type', 'priority'
]

const IGNORED = new Set(['summation column'])

export function normaliseHeader(h: string): string {
  return h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/\s+/g, ' ')
}

/** "Ticket Subject" → "subject": many exports prefix every column with the record's name. */
function withoutRecordPrefix(h: string): string {
  return h.replace(/^(ticket|issue|case|incident|request|conversation) /, '')
}

function findColumn(headers: readonly string[], synonyms: readonly string[], taken: Set<number>): number | undefined {
  for (const pass of [(h: string) => h, withoutRecordPrefix]) {
    for (const s of synonyms) {
      const i = headers.findIndex((h, idx) => !taken.has(idx) && !IGNORED.has(h) && pass(h) === s)
      if (i !== -1) return i
    }
  }
  return undefined
}

export interface AutoMapResult {
  readonly preset: string
  readonly mapping: ColumnMapping
}

export function autoMap(rawHeaders: readonly string[], sampleRows: readonly (readonly string[])[]): AutoMapResult {
  const headers = rawHeaders.map(normaliseHeader)
  const taken = new Set<number>()
  const fields: Partial<Record<TicketField, number>> = {}
  for (const field of ['externalId', 'subject', 'body', 'created', 'status', 'priority'] as const) {
    const i = findColumn(headers, FIELD_SYNONYMS[field], taken)
    if (i !== undefined) {
      fields[field] = i
      if (field !== 'priority') taken.add(i)
    }
  }
  if (fields.subject === undefined && fields.body === undefined) {
    const longest = longestTextColumn(headers, sampleRows, taken)
    if (longest !== undefined) fields.body = longest
  }
  const targets: Record<string, number> = {}
  headers.forEach((h, i) => {
    if (taken.has(i) && fields.priority !== i) return
    if (TARGET_SYNONYMS.includes(h) || TARGET_SYNONYMS.includes(withoutRecordPrefix(h))) {
      const name = rawHeaders[i]!.trim()
      if (!(name in targets)) targets[name] = i
    }
  })
  return { preset: detectPreset(headers), mapping: { fields, targets } }
}

/** A file whose headers say nothing still works when one column clearly holds prose. */
function longestTextColumn(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  taken: Set<number>
): number | undefined {
  if (headers.length === 1) return 0
  let best: number | undefined
  let bestLen = 20
  headers.forEach((_, i) => {
    if (taken.has(i)) return
    const avg = rows.reduce((s, r) => s + (r[i]?.length ?? 0), 0) / Math.max(1, rows.length)
    if (avg > bestLen) {
      bestLen = avg
      best = i
    }
  })
  return best
}

function detectPreset(headers: readonly string[]): string {
  const has = (...hs: string[]) => hs.every((h) => headers.includes(h))
  if (has('summation column') || has('id', 'created at', 'via')) return 'Zendesk'
  if (has('ticket id', 'created time') || has('ticket id', 'resolution status')) return 'Freshdesk'
  if (has('issue key') || has('issue id', 'summary')) return 'Jira'
  if (has('number', 'short_description') || has('number', 'assignment_group')) return 'ServiceNow'
  if (has('ticket number', 'help topic')) return 'osTicket'
  if (has('conversation id')) return 'Help Scout'
  return 'Generic CSV'
}

/** Refuses a mapping that cannot produce ticket text, naming the columns that could. */
export function assertHasText(mapping: ColumnMapping, headers: readonly string[], fileName: string): void {
  if (mapping.fields.subject === undefined && mapping.fields.body === undefined && !mapping.extraText?.length) {
    throw new EngineError(
      'NO_TEXT_COLUMN',
      `${fileName}: no column holds the ticket text. Map a subject or body column (columns: ${headers.join(', ')}).`,
      { headers }
    )
  }
  const all = Object.values(mapping.fields).concat(Object.values(mapping.targets), mapping.extraText ?? [])
  const bad = all.find((i) => i >= headers.length)
  if (bad !== undefined) {
    throw new EngineError('BAD_REQUEST', `${fileName}: the mapping names column ${bad + 1}, but the file has ${headers.length}.`)
  }
}
