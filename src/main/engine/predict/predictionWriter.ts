// Stores a model's predictions: label, calibrated confidence, top-k, margin, and whether a lead should
// review the ticket. A ticket below its queue's threshold is flagged; a small random share of the confident
// ones is flagged too ("sample"), so that the error rate above threshold stays measured.
import { createHash } from 'node:crypto'
import type { ReviewThresholdSet } from '../../../shared/models.ts'
import { withFloor } from '../learn/thresholdFloor.ts'
import type { Db } from '../store/database.ts'

export interface TicketPrediction {
  readonly ticketId: number
  /** Classes with their calibrated probability, best first (at least one). */
  readonly ranked: readonly { readonly label: string; readonly p: number }[]
}

export interface ReviewPolicy {
  /** Global threshold, used for a queue without its own. */
  readonly threshold: number
  readonly perClass?: Readonly<Record<string, number>>
  /** Share of confident tickets sent to review anyway (default 0.02). */
  readonly sampleRate?: number
}

/**
 * The policy a head's stored thresholds give, with the floor in force: whichever path writes or re-flags
 * predictions, a queue whose derived threshold was 0.00 still sends its unsure tickets to review.
 */
export function reviewPolicy(thresholds: ReviewThresholdSet, sampleRate: number): ReviewPolicy {
  const t = withFloor(thresholds)
  return { threshold: t.global, perClass: t.perClass, sampleRate }
}

/** Deterministic per (model, ticket): the same ticket is sampled again if predictions are rewritten. */
export function sampled(modelId: number, ticketId: number, rate: number): boolean {
  if (rate <= 0) return false
  const h = createHash('sha1').update(`${modelId}:${ticketId}`).digest()
  return h.readUInt32BE(0) / 0x1_0000_0000 < rate
}

export function reviewFlag(
  modelId: number,
  p: TicketPrediction,
  policy: ReviewPolicy
): { needsReview: boolean; reason: 'low_confidence' | 'sample' | null } {
  const top = p.ranked[0]!
  const threshold = policy.perClass?.[top.label] ?? policy.threshold
  if (!(top.p >= threshold)) return { needsReview: true, reason: 'low_confidence' }
  if (sampled(modelId, p.ticketId, policy.sampleRate ?? 0.02)) return { needsReview: true, reason: 'sample' }
  return { needsReview: false, reason: null }
}

/** Upserts the predictions and returns how many were flagged for review. */
export function writePredictions(db: Db, modelId: number, predictions: readonly TicketPrediction[], policy: ReviewPolicy, topK = 3): number {
  const upsert = db.prepare(
    `INSERT INTO predictions (ticket_id, model_id, label, confidence, top_k, margin, needs_review, review_reason, predicted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (ticket_id, model_id) DO UPDATE SET label = excluded.label, confidence = excluded.confidence,
       top_k = excluded.top_k, margin = excluded.margin, needs_review = excluded.needs_review,
       review_reason = excluded.review_reason, predicted_at = excluded.predicted_at`
  )
  const now = new Date().toISOString()
  let flagged = 0
  db.transaction(() => {
    for (const p of predictions) {
      const [first, second] = p.ranked
      if (!first || !Number.isFinite(first.p)) throw new Error(`prediction for ticket ${p.ticketId} has no finite confidence`)
      const flag = reviewFlag(modelId, p, policy)
      if (flag.needsReview) flagged++
      const top = p.ranked.slice(0, topK).map((c) => ({ label: c.label, p: Math.round(c.p * 1e6) / 1e6 }))
      upsert.run(p.ticketId, modelId, first.label, first.p, JSON.stringify(top), first.p - (second?.p ?? 0),
        flag.needsReview ? 1 : 0, flag.reason, now)
    }
  })()
  return flagged
}

/** New thresholds re-flag the model's stored predictions without predicting again. */
export function reflagPredictions(db: Db, modelId: number, policy: ReviewPolicy): number {
  const rows = db.prepare('SELECT ticket_id, label, confidence FROM predictions WHERE model_id = ?').all(modelId) as {
    ticket_id: number
    label: string
    confidence: number
  }[]
  const update = db.prepare('UPDATE predictions SET needs_review = ?, review_reason = ? WHERE ticket_id = ? AND model_id = ?')
  let flagged = 0
  db.transaction(() => {
    for (const r of rows) {
      const flag = reviewFlag(modelId, { ticketId: r.ticket_id, ranked: [{ label: r.label, p: r.confidence }] }, policy)
      if (flag.needsReview) flagged++
      update.run(flag.needsReview ? 1 : 0, flag.reason, r.ticket_id, modelId)
    }
  })()
  return flagged
}
