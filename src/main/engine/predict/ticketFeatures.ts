// What a head reads of a ticket: its text, its creation date and, when an embedder is active, its vector.
import type { Db } from '../store/database.ts'
import { indexFor } from '../similar/similarState.ts'
import { ticketText } from '../similar/ticketEmbedder.ts'

export interface TicketBatch {
  readonly ids: number[]
  readonly texts: string[]
  readonly dates: (number | null)[]
  readonly labels: (string | null)[]
  /** When each current label was set (ISO), to tell which tickets an older model never saw labelled. */
  readonly labelAt: (string | null)[]
}

/** Tickets with their current label for `target` (null when unlabelled), in id order. */
export function ticketsWithLabels(db: Db, target: string, ids?: readonly number[]): TicketBatch {
  const sql = `SELECT t.id, t.subject, t.body, t.created,
      l.value AS label, l.at AS label_at
    FROM tickets t LEFT JOIN labels l ON l.ticket_id = t.id AND l.target = ? AND l.current = 1
    ${ids ? 'WHERE t.id IN (SELECT value FROM json_each(?))' : ''} ORDER BY t.id`
  const rows = (ids ? db.prepare(sql).all(target, JSON.stringify(ids)) : db.prepare(sql).all(target)) as {
    id: number
    subject: string
    body: string
    created: string | null
    label: string | null
    label_at: string | null
  }[]
  return {
    ids: rows.map((r) => r.id),
    texts: rows.map((r) => ticketText(r.subject, r.body)),
    dates: rows.map((r) => (r.created ? Date.parse(r.created) : null)),
    labels: rows.map((r) => r.label),
    labelAt: rows.map((r) => r.label_at)
  }
}

/** Row-major vectors of `ids` from the embedder's index; every id must have been indexed. */
export function vectorsOf(db: Db, embedder: string, ids: readonly number[]): { vectors: Float32Array; dim: number } {
  const index = indexFor(db, embedder)
  const dim = index.dimension ?? 0
  const vectors = new Float32Array(ids.length * dim)
  ids.forEach((id, i) => {
    const v = index.vectorOf(id)
    if (!v) throw new Error(`ticket ${id} has no ${embedder} vector`)
    vectors.set(v, i * dim)
  })
  return { vectors, dim }
}
