// Which tickets lack a current prediction from an active head. Predicting is driven by this, not by which
// import brought a ticket: an import whose rows committed but whose prediction step never ran (the app
// closed, the process was killed) leaves tickets that a re-import sees as duplicates, and only asking
// "what has no prediction?" finds them again.
import type { PredictionGap } from '../../../shared/models.ts'
import type { Db } from '../store/database.ts'
import { listHeads } from './modelsRepo.ts'

/**
 * A ticket needs a prediction from a model when it has none from it, or when an import changed the ticket
 * after it was predicted (`updated_at` and `predicted_at` are both ISO timestamps, so they compare as text).
 */
const NEEDS_PREDICTION = `p.ticket_id IS NULL OR (t.updated_at IS NOT NULL AND p.predicted_at < t.updated_at)`

/** Ids of the tickets `modelId` has to predict, in id order. */
export function ticketsLackingPrediction(db: Db, modelId: number): number[] {
  const rows = db
    .prepare(
      `SELECT t.id FROM tickets t LEFT JOIN predictions p ON p.ticket_id = t.id AND p.model_id = ?
       WHERE ${NEEDS_PREDICTION} ORDER BY t.id`
    )
    .all(modelId) as { id: number }[]
  return rows.map((r) => r.id)
}

/** Per active head, how many tickets it never predicted and how many changed since; only heads with a gap. */
export function predictionGaps(db: Db): PredictionGap[] {
  const count = db.prepare(
    `SELECT COALESCE(SUM(p.ticket_id IS NULL), 0) AS missing,
            COALESCE(SUM(p.ticket_id IS NOT NULL AND t.updated_at IS NOT NULL AND p.predicted_at < t.updated_at), 0) AS outdated
     FROM tickets t LEFT JOIN predictions p ON p.ticket_id = t.id AND p.model_id = ?`
  )
  const gaps: PredictionGap[] = []
  for (const head of listHeads(db).filter((h) => h.summary.active)) {
    const { missing, outdated } = count.get(head.summary.id) as { missing: number; outdated: number }
    if (missing + outdated > 0) gaps.push({ target: head.summary.target, modelId: head.summary.id, version: head.summary.version, missing, outdated })
  }
  return gaps
}
