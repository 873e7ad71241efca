// The audit trail of review decisions, for the UI and as a CSV export.
import { csvDocument, type CsvValue } from '../../../shared/csvWriter.ts'
import type { AuditRow } from '../../../shared/review.ts'
import type { Db } from '../store/database.ts'


export function auditTrail(db: Db, opts: { offset?: number; limit?: number; target?: string } = {}): { total: number; rows: AuditRow[] } {
  const where = opts.target ? 'WHERE r.target = ?' : ''
  const args = opts.target ? [opts.target] : []
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM reviews r ${where}`).get(...args) as { n: number }).n
  const rows = db
    .prepare(
      `SELECT r.id, r.at, r.who, r.ticket_id, t.external_id, r.target, r.action, r.predicted, r.from_value, r.to_value, r.undone, r.batch_id,
              tr.superseded_by IS NOT NULL AS superseded
       FROM reviews r LEFT JOIN tickets t ON t.id = r.ticket_id LEFT JOIN team_reviews tr ON tr.review_id = r.id ${where} ORDER BY r.id DESC LIMIT ? OFFSET ?`
    )
    .all(...args, opts.limit ?? 100, opts.offset ?? 0) as {
    id: number; at: string; who: string; ticket_id: number; external_id: string | null; target: string
    action: AuditRow['action']; predicted: string | null; from_value: string | null; to_value: string | null; undone: number; batch_id: string | null
    superseded: number
  }[]
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id, at: r.at, who: r.who, ticketId: r.ticket_id, externalId: r.external_id, target: r.target,
      action: r.action, predicted: r.predicted, from: r.from_value, to: r.to_value, undone: r.undone === 1, batchId: r.batch_id,
      ...(r.superseded === 1 ? { superseded: true as const } : {})
    }))
  }
}

export function auditTrailCsv(db: Db, target?: string): string {
  const header = ['id', 'at', 'who', 'ticket_id', 'external_id', 'target', 'action', 'predicted', 'from', 'to', 'undone']
  const rows: CsvValue[][] = []
  for (let offset = 0; ; offset += 1000) {
    const page = auditTrail(db, { offset, limit: 1000, ...(target ? { target } : {}) })
    for (const r of page.rows) rows.push([r.id, r.at, r.who, r.ticketId, r.externalId, r.target, r.action, r.predicted, r.from, r.to, r.undone])
    if (page.rows.length < 1000) break
  }
  return csvDocument(header, rows)
}
