// Inbox queries: paging, sorting and filtering done in SQLite so the window only ever holds one page.
import type { InboxColumns } from '../../../shared/contract.ts'
import type { TicketPrediction } from '../../../shared/models.ts'
import { TICKET_FIELDS, type InboxColumn, type LabelHistoryEntry, type SortDirection, type StoreStats, type TicketDetail, type TicketField, type TicketPage, type TicketRow } from '../../../shared/domain.ts'
import { EngineError } from '../../../shared/errors.ts'
import type { Db } from './database.ts'

export interface PageQuery {
  readonly offset: number
  readonly limit: number
  readonly sort?: { readonly column: InboxColumn; readonly dir: SortDirection } | undefined
  readonly filters: readonly { readonly column: InboxColumn; readonly value: string }[]
  readonly search?: string | undefined
  readonly prediction?: { readonly target: string; readonly needsReview?: boolean | undefined; readonly mismatch?: boolean | undefined; readonly label?: string | undefined } | undefined
}

/** The active head's prediction of ticket `t` for a target. */
const ACTIVE_PREDICTION = `FROM predictions p JOIN models m ON m.id = p.model_id AND m.kind = 'head' AND m.active = 1 AND m.target = ?
  WHERE p.ticket_id = t.id`

const FIELD_SQL: Record<string, string> = {
  externalId: 't.external_id',
  subject: 't.subject',
  created: 't.created',
  status: 't.status',
  priority: 't.priority'
}

const TICKET_COLUMN: Record<TicketField, string> = {
  externalId: 'external_id',
  subject: 'subject',
  body: 'body',
  created: 'created',
  status: 'status',
  priority: 'priority'
}

function labelTarget(column: string): string | null {
  return column.startsWith('label:') ? column.slice('label:'.length) : null
}

/**
 * User text → an FTS5 query of quoted terms (so punctuation cannot break the syntax); the last is a
 * prefix. Null when the text has no word to search for: a term must hold a letter or digit, because the
 * unicode61 tokenizer drops everything else (`_` alone would be an empty phrase).
 */
export function ftsQuery(search: string): string | null {
  const terms = (search.match(/[\p{L}\p{N}_]+/gu) ?? []).filter((t) => /[\p{L}\p{N}]/u.test(t))
  if (terms.length === 0) return null
  return terms.map((t, i) => `"${t}"${i === terms.length - 1 ? '*' : ''}`).join(' ')
}

function whereClause(q: PageQuery): { sql: string; args: unknown[] } {
  const parts: string[] = []
  const args: unknown[] = []
  // A blank search is no search; one with no word in it ("*", "%", "!!!") matches nothing, not every ticket.
  if (q.search !== undefined && q.search.trim() !== '') {
    const fts = ftsQuery(q.search)
    if (fts) {
      parts.push('t.id IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ?)')
      args.push(fts)
    } else {
      parts.push('0')
    }
  }
  for (const f of q.filters) {
    const target = labelTarget(f.column)
    if (target !== null) {
      parts.push('EXISTS (SELECT 1 FROM labels l WHERE l.ticket_id = t.id AND l.target = ? AND l.value = ? AND l.current = 1)')
      args.push(target, f.value)
    } else if (f.column === 'subject' || f.column === 'externalId') {
      parts.push(`${FIELD_SQL[f.column]} LIKE ? ESCAPE '\\'`)
      args.push(`%${f.value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    } else {
      parts.push(`${FIELD_SQL[f.column]} = ?`)
      args.push(f.value)
    }
  }
  if (q.prediction) {
    const pr = q.prediction
    let cond = `EXISTS (SELECT 1 ${ACTIVE_PREDICTION}`
    args.push(pr.target)
    if (pr.needsReview !== undefined) cond += ` AND p.needs_review = ${pr.needsReview ? 1 : 0}`
    if (pr.label !== undefined) {
      cond += ' AND p.label = ?'
      args.push(pr.label)
    }
    if (pr.mismatch) {
      cond += ' AND EXISTS (SELECT 1 FROM labels l WHERE l.ticket_id = t.id AND l.target = ? AND l.current = 1 AND l.value != p.label)'
      args.push(pr.target)
    }
    parts.push(`${cond})`)
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args }
}

export function ticketPage(db: Db, q: PageQuery): TicketPage {
  const where = whereClause(q)
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM tickets t ${where.sql}`).get(...where.args) as { n: number }).n
  let order = 't.id DESC'
  const orderArgs: unknown[] = []
  if (q.sort) {
    const dir = q.sort.dir === 'asc' ? 'ASC' : 'DESC'
    const target = labelTarget(q.sort.column)
    if (q.sort.column.startsWith('confidence:')) {
      order = `(SELECT p.confidence ${ACTIVE_PREDICTION}) ${dir}, t.id ${dir}`
      orderArgs.push(q.sort.column.slice('confidence:'.length))
    } else if (target !== null) {
      order = `(SELECT value FROM labels l WHERE l.ticket_id = t.id AND l.target = ? AND l.current = 1) ${dir}, t.id ${dir}`
      orderArgs.push(target)
    } else {
      order = `${FIELD_SQL[q.sort.column]} ${dir}, t.id ${dir}`
    }
  }
  const rows = db
    .prepare(
      `SELECT t.id, t.external_id, t.subject, substr(t.body, 1, 240) AS snippet, t.created, t.status, t.priority,
         t.duplicate_of, t.duplicate_score, (SELECT d.external_id FROM tickets d WHERE d.id = t.duplicate_of) AS duplicate_external_id
       FROM tickets t ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`
    )
    .all(...where.args, ...orderArgs, q.limit, q.offset) as {
    id: number
    external_id: string
    subject: string
    snippet: string
    created: string | null
    status: string | null
    priority: string | null
    duplicate_of: number | null
    duplicate_score: number | null
    duplicate_external_id: string | null
  }[]
  const ids = rows.map((r) => r.id)
  const labels = currentLabels(db, ids)
  const predictions = activePredictions(db, ids)
  return {
    total,
    rows: rows.map(
      (r): TicketRow => ({
        id: r.id,
        externalId: r.external_id,
        subject: r.subject,
        snippet: r.snippet,
        created: r.created,
        status: r.status,
        priority: r.priority,
        labels: labels.get(r.id) ?? {},
        predictions: predictions.get(r.id) ?? {},
        ...(r.duplicate_of !== null ? { duplicateOf: duplicate(r.duplicate_of, r.duplicate_score, r.duplicate_external_id) } : {})
      })
    )
  }
}

function duplicate(id: number, score: number | null, externalId: string | null): NonNullable<TicketRow['duplicateOf']> {
  return { id, score: score ?? 0, ...(externalId !== null ? { externalId } : {}) }
}

function activePredictions(db: Db, ids: readonly number[]): Map<number, Record<string, TicketPrediction>> {
  const out = new Map<number, Record<string, TicketPrediction>>()
  if (ids.length === 0) return out
  const rows = db
    .prepare(
      `SELECT p.ticket_id, m.target, p.label, p.confidence, p.top_k, p.needs_review, p.review_reason
       FROM predictions p JOIN models m ON m.id = p.model_id AND m.kind = 'head' AND m.active = 1
       WHERE p.ticket_id IN (${ids.map(() => '?').join(',')})`
    )
    .all(...ids) as { ticket_id: number; target: string; label: string; confidence: number; top_k: string; needs_review: number; review_reason: 'low_confidence' | 'sample' | null }[]
  for (const r of rows) {
    const m = out.get(r.ticket_id) ?? {}
    m[r.target] = {
      label: r.label,
      confidence: r.confidence,
      top: JSON.parse(r.top_k) as TicketPrediction['top'],
      needsReview: r.needs_review === 1,
      reviewReason: r.review_reason
    }
    out.set(r.ticket_id, m)
  }
  return out
}

function currentLabels(db: Db, ids: readonly number[]): Map<number, Record<string, string>> {
  const out = new Map<number, Record<string, string>>()
  if (ids.length === 0) return out
  const rows = db
    .prepare(`SELECT ticket_id, target, value FROM labels WHERE current = 1 AND ticket_id IN (${ids.map(() => '?').join(',')})`)
    .all(...ids) as { ticket_id: number; target: string; value: string }[]
  for (const r of rows) {
    const m = out.get(r.ticket_id) ?? {}
    m[r.target] = r.value
    out.set(r.ticket_id, m)
  }
  return out
}

export function ticketDetail(db: Db, id: number): TicketDetail {
  const t = db.prepare('SELECT t.*, (SELECT d.external_id FROM tickets d WHERE d.id = t.duplicate_of) AS duplicate_external_id FROM tickets t WHERE t.id = ?').get(id) as
    | { id: number; external_id: string; subject: string; body: string; created: string | null; status: string | null; priority: string | null; raw: string; import_id: number; duplicate_of: number | null; duplicate_score: number | null; duplicate_external_id: string | null }
    | undefined
  // Only the internal number is known here, and no user knows a ticket by it: it stays in the data.
  if (!t) throw new EngineError('NOT_FOUND', 'This ticket no longer exists (a re-import may have removed it).', { id })
  const history = db
    .prepare('SELECT target, value, origin, who, at, current FROM labels WHERE ticket_id = ? ORDER BY id')
    .all(id) as { target: string; value: string; origin: 'import' | 'review'; who: string | null; at: string; current: number }[]
  const labelHistory: LabelHistoryEntry[] = history.map((h) => ({ ...h, current: h.current === 1 }))
  const labels: Record<string, string> = {}
  for (const h of labelHistory) if (h.current) labels[h.target] = h.value
  const helpdeskLabels: Record<string, string> = {}
  // History is in insertion order: an imported value after a target's standing decision is the helpdesk's later word.
  const decided = new Set<string>()
  for (const h of labelHistory) {
    if (h.current && h.origin === 'review') decided.add(h.target)
    else if (h.origin === 'import' && decided.has(h.target)) helpdeskLabels[h.target] = h.value
  }
  for (const [target, value] of Object.entries(helpdeskLabels)) if (labels[target] === value) delete helpdeskLabels[target]
  return {
    id: t.id,
    externalId: t.external_id,
    subject: t.subject,
    body: t.body,
    created: t.created,
    status: t.status,
    priority: t.priority,
    importId: t.import_id,
    labels,
    labelHistory,
    helpdeskLabels,
    predictions: activePredictions(db, [t.id]).get(t.id) ?? {},
    ...(t.duplicate_of !== null ? { duplicateOf: duplicate(t.duplicate_of, t.duplicate_score, t.duplicate_external_id) } : {}),
    raw: JSON.parse(t.raw) as Record<string, string>
  }
}

export function labelTargets(db: Db, maxValues = 500): InboxColumns['targets'] {
  const targets = db.prepare('SELECT DISTINCT target FROM labels WHERE current = 1 ORDER BY target').all() as { target: string }[]
  const values = db.prepare<[string, number], { value: string }>(
    'SELECT value FROM labels WHERE current = 1 AND target = ? GROUP BY value ORDER BY COUNT(*) DESC LIMIT ?'
  )
  return targets.map(({ target }) => ({ target, values: values.all(target, maxValues).map((v) => v.value) }))
}

export function inboxColumns(db: Db): InboxColumns {
  const values = (column: 'status' | 'priority'): string[] =>
    (db.prepare(`SELECT ${column} AS v FROM tickets WHERE ${column} IS NOT NULL GROUP BY ${column} ORDER BY COUNT(*) DESC LIMIT 200`).all() as { v: string }[]).map((r) => r.v)
  return {
    fields: Object.keys(FIELD_SQL),
    targets: labelTargets(db),
    fieldValues: { status: values('status'), priority: values('priority') },
    fieldsWithData: fieldsWithData(db),
    externalIdChars: (db.prepare('SELECT COALESCE(MAX(length(external_id)), 0) AS n FROM tickets').get() as { n: number }).n
  }
}

/** Each EXISTS stops at the first ticket with a value, so this is cheap unless a field is empty everywhere. */
function fieldsWithData(db: Db): TicketField[] {
  const has = (column: string): boolean =>
    (db.prepare(`SELECT EXISTS (SELECT 1 FROM tickets WHERE ${column} IS NOT NULL AND ${column} != '') AS n`).get() as { n: number }).n === 1
  return TICKET_FIELDS.filter((field) => has(TICKET_COLUMN[field]))
}

export function storeStats(db: Db): StoreStats {
  const n = (sql: string): number => (db.prepare(sql).get() as { n: number }).n
  const rows = db
    .prepare('SELECT target, value, COUNT(*) AS count FROM labels WHERE current = 1 GROUP BY target, value ORDER BY target, count DESC')
    .all() as { target: string; value: string; count: number }[]
  const byTarget = new Map<string, { value: string; count: number }[]>()
  for (const r of rows) byTarget.set(r.target, [...(byTarget.get(r.target) ?? []), { value: r.value, count: r.count }])
  return {
    tickets: n('SELECT COUNT(*) AS n FROM tickets'),
    imports: n('SELECT COUNT(*) AS n FROM imports'),
    rejected: n('SELECT COUNT(*) AS n FROM import_errors'),
    targets: [...byTarget].map(([target, values]) => ({ target, values }))
  }
}
