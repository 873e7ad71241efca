// Review decisions are data: each accept, correction and undo is an audit row (who, when, from → to), a
// decision becomes the ticket's current label with origin `review`, and the label it replaced stays as
// history so that undo can restore it. Nothing is overwritten without a trace.
import { EngineError } from '../../../shared/errors.ts'
import type { ReviewDecision } from '../../../shared/review.ts'
import type { Db } from '../store/database.ts'
import { activeHead } from './activeModel.ts'

export interface Decision {
  readonly ticketId: number
  readonly target: string
  /** The label chosen; omitted for "accept the prediction". */
  readonly label?: string | undefined
  readonly who: string
  /** Shared by the decisions of one "Accept all", which `undoBatch` undoes together. */
  readonly batchId?: string | undefined
}

interface DecisionRow {
  id: number
  ticket_id: number
  from_value: string | null
  to_value: string
  prev_label_id: number | null
  batch_id: string | null
}


export function decide(db: Db, d: Decision, now = new Date().toISOString()): ReviewDecision {
  return db.transaction((): ReviewDecision => {
    const ticket = db.prepare('SELECT external_id FROM tickets WHERE id = ?').get(d.ticketId) as { external_id: string } | undefined
    // Gone, so its external id is unknown here; the internal number is in the error's data, not the message.
    if (!ticket) throw new EngineError('NOT_FOUND', 'This ticket no longer exists (a re-import may have removed it); nothing was recorded.', { ticketId: d.ticketId })
    const name = ticket.external_id
    const earlier = db
      .prepare("SELECT who, at, to_value FROM reviews WHERE ticket_id = ? AND target = ? AND action != 'undo' AND undone = 0")
      .get(d.ticketId, d.target) as { who: string; at: string; to_value: string } | undefined
    if (earlier) {
      throw new EngineError('CONFLICT', `Ticket ${name} was already decided by ${earlier.who} at ${earlier.at} (${d.target} → ${earlier.to_value}); undo that first.`, {
        ticketId: d.ticketId,
        ...earlier
      })
    }
    const head = activeHead(db, d.target)
    const prediction = head
      ? (db.prepare('SELECT label FROM predictions WHERE ticket_id = ? AND model_id = ?').get(d.ticketId, head.id) as { label: string } | undefined)
      : undefined
    const to = d.label ?? prediction?.label
    if (!to) throw new EngineError('BAD_REQUEST', `Ticket ${name} has no prediction for ${d.target} to accept; choose a label.`)
    const current = db
      .prepare('SELECT id, value FROM labels WHERE ticket_id = ? AND target = ? AND current = 1')
      .get(d.ticketId, d.target) as { id: number; value: string } | undefined
    const action = d.label === undefined || d.label === prediction?.label ? 'accept' : 'correct'
    if (current) db.prepare('UPDATE labels SET current = 0 WHERE id = ?').run(current.id)
    db.prepare("INSERT INTO labels (ticket_id, target, value, origin, who, at, current) VALUES (?, ?, ?, 'review', ?, ?, 1)").run(
      d.ticketId, d.target, to, d.who, now
    )
    const info = db
      .prepare(
        `INSERT INTO reviews (ticket_id, target, action, predicted, from_value, to_value, model_id, prev_label_id, who, at, batch_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(d.ticketId, d.target, action, prediction?.label ?? null, current?.value ?? null, to, head?.id ?? null, current?.id ?? null, d.who, now, d.batchId ?? null)
    return { reviewId: Number(info.lastInsertRowid), ticketId: d.ticketId, externalId: name, action, from: current?.value ?? null, to }
  })()
}

/** Undoes this reviewer's latest decision that is not yet undone: the label it replaced is current again. */
export function undoLast(db: Db, who: string, target: string, now = new Date().toISOString()): ReviewDecision {
  return db.transaction((): ReviewDecision => {
    const last = db
      .prepare(
        "SELECT id, ticket_id, from_value, to_value, prev_label_id, batch_id FROM reviews WHERE who = ? AND target = ? AND action != 'undo' AND undone = 0 ORDER BY id DESC LIMIT 1"
      )
      .get(who, target) as DecisionRow | undefined
    if (!last) throw new EngineError('NOT_FOUND', `There is nothing to undo: ${who} has no decision on ${target} that is not undone already.`)
    return undoDecision(db, last, target, who, now)
  })()
}

/**
 * Undoes every decision of one "Accept all" that is not undone yet, newest first, in one transaction: the
 * labels they replaced are current again and each undo is an audit row carrying the same batch id. Any
 * lead may undo a batch (the undo rows say who did).
 */
export function undoBatch(db: Db, batchId: string, who: string, now = new Date().toISOString()): { batchId: string; target: string | null; undone: number } {
  return db.transaction(() => {
    const rows = db
      .prepare(
        "SELECT id, ticket_id, target, from_value, to_value, prev_label_id, batch_id FROM reviews WHERE batch_id = ? AND action != 'undo' AND undone = 0 ORDER BY id DESC"
      )
      .all(batchId) as (DecisionRow & { target: string })[]
    if (rows.length === 0) {
      const known = db.prepare('SELECT 1 FROM reviews WHERE batch_id = ? LIMIT 1').get(batchId)
      throw new EngineError('NOT_FOUND', known ? `Batch ${batchId} is undone already.` : `There is no batch ${batchId} to undo.`, { batchId })
    }
    for (const row of rows) undoDecision(db, row, row.target, who, now)
    return { batchId, target: rows[0]!.target, undone: rows.length }
  })()
}

/** Inside a caller's transaction: makes the label the decision replaced current again and records the undo. */
function undoDecision(db: Db, last: DecisionRow, target: string, who: string, now: string): ReviewDecision {
  db.prepare("UPDATE labels SET current = 0 WHERE ticket_id = ? AND target = ? AND current = 1 AND origin = 'review'").run(last.ticket_id, target)
  // The label before the decision comes back, or the helpdesk's newer word when a re-import brought one
  // in meanwhile (kept as history while the decision stood).
  const newestImported = db
    .prepare("SELECT id FROM labels WHERE ticket_id = ? AND target = ? AND origin = 'import' ORDER BY id DESC LIMIT 1")
    .get(last.ticket_id, target) as { id: number } | undefined
  const restore = Math.max(newestImported?.id ?? -1, last.prev_label_id ?? -1)
  const hasCurrent = db.prepare('SELECT 1 FROM labels WHERE ticket_id = ? AND target = ? AND current = 1').get(last.ticket_id, target)
  if (restore > 0 && !hasCurrent) db.prepare('UPDATE labels SET current = 1 WHERE id = ?').run(restore)
  db.prepare('UPDATE reviews SET undone = 1 WHERE id = ?').run(last.id)
  const info = db
    .prepare("INSERT INTO reviews (ticket_id, target, action, from_value, to_value, undoes, who, at, batch_id) VALUES (?, ?, 'undo', ?, ?, ?, ?, ?, ?)")
    .run(last.ticket_id, target, last.to_value, last.from_value, last.id, who, now, last.batch_id)
  const ticket = db.prepare('SELECT external_id FROM tickets WHERE id = ?').get(last.ticket_id) as { external_id: string } | undefined
  return {
    reviewId: Number(info.lastInsertRowid),
    ticketId: last.ticket_id,
    ...(ticket ? { externalId: ticket.external_id } : {}),
    action: 'undo',
    from: last.to_value,
    to: last.from_value
  }
}
