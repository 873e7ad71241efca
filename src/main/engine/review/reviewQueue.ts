// The lead's review queue: tickets the active model flagged (low confidence, or sampled from the confident
// ones so the error rate above threshold stays measured) and nobody has decided yet, most uncertain first.
import type { ReviewItem } from '../../../shared/review.ts'
import type { Db } from '../store/database.ts'
import { activeHead } from './activeModel.ts'

export type ReviewOrder = 'confidence' | 'margin'

export interface ReviewQuery {
  readonly target: string
  readonly order?: ReviewOrder
  readonly predicted?: string | undefined
  readonly importId?: number | undefined
  readonly createdFrom?: string | undefined
  readonly createdTo?: string | undefined
  readonly offset?: number
  readonly limit?: number
}


function whereFor(q: ReviewQuery, modelId: number): { sql: string; args: unknown[] } {
  const parts = [
    'p.model_id = ?',
    'p.needs_review = 1',
    'NOT EXISTS (SELECT 1 FROM reviews r WHERE r.ticket_id = p.ticket_id AND r.target = ? AND r.action != \'undo\' AND r.undone = 0)'
  ]
  const args: unknown[] = [modelId, q.target]
  if (q.predicted) {
    parts.push('p.label = ?')
    args.push(q.predicted)
  }
  if (q.importId !== undefined) {
    parts.push('t.last_import_id = ?')
    args.push(q.importId)
  }
  if (q.createdFrom) {
    parts.push('t.created >= ?')
    args.push(q.createdFrom)
  }
  if (q.createdTo) {
    parts.push('t.created < ?')
    args.push(q.createdTo)
  }
  return { sql: parts.join(' AND '), args }
}

export function reviewQueue(db: Db, q: ReviewQuery): { total: number; items: ReviewItem[] } {
  const head = activeHead(db, q.target)
  if (!head) return { total: 0, items: [] }
  const where = whereFor(q, head.id)
  const from = 'FROM predictions p JOIN tickets t ON t.id = p.ticket_id'
  const total = (db.prepare(`SELECT COUNT(*) AS n ${from} WHERE ${where.sql}`).get(...where.args) as { n: number }).n
  const order = q.order === 'margin' ? 'p.margin ASC, p.confidence ASC' : 'p.confidence ASC, p.margin ASC'
  const rows = db
    .prepare(
      `SELECT p.ticket_id, t.external_id, t.subject, t.body, t.created, p.label, p.confidence, p.margin, p.top_k, p.review_reason,
        (SELECT value FROM labels l WHERE l.ticket_id = p.ticket_id AND l.target = ? AND l.current = 1) AS current
       ${from} WHERE ${where.sql} ORDER BY ${order}, p.ticket_id LIMIT ? OFFSET ?`
    )
    .all(q.target, ...where.args, q.limit ?? 50, q.offset ?? 0) as {
    ticket_id: number
    external_id: string
    subject: string
    body: string
    created: string | null
    label: string
    confidence: number
    margin: number
    top_k: string
    review_reason: 'low_confidence' | 'sample' | null
    current: string | null
  }[]
  return {
    total,
    items: rows.map((r) => ({
      ticketId: r.ticket_id,
      externalId: r.external_id,
      subject: r.subject,
      body: r.body,
      created: r.created,
      predicted: r.label,
      confidence: r.confidence,
      margin: r.margin,
      candidates: JSON.parse(r.top_k) as { label: string; p: number }[],
      current: r.current,
      reason: r.review_reason ?? 'low_confidence'
    }))
  }
}
