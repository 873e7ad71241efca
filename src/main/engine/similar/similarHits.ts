// Turns index hits (ticket id + score) into what a person reads: subject, snippet, date and labels.
import type { SimilarTicket } from '../../../shared/similar.ts'
import type { Db } from '../store/database.ts'
import type { SimilarHit } from './similarIndex.ts'

const SNIPPET_CHARS = 240

interface TicketRow {
  id: number
  external_id: string
  subject: string
  snippet: string
  created: string | null
}

interface LabelRow {
  ticket_id: number
  target: string
  value: string
  origin: 'import' | 'review'
}

export function similarHits(db: Db, hits: readonly SimilarHit[], target?: string): SimilarTicket[] {
  if (hits.length === 0) return []
  const ids = JSON.stringify(hits.map((h) => h.id))
  const tickets = new Map(
    db
      .prepare<[number, string], TicketRow>(
        `SELECT id, external_id, subject, substr(body, 1, ?) AS snippet, created FROM tickets
         WHERE id IN (SELECT value FROM json_each(?))`
      )
      .all(SNIPPET_CHARS, ids)
      .map((t) => [t.id, t])
  )
  const labels = db
    .prepare<[string], LabelRow>(
      'SELECT ticket_id, target, value, origin FROM labels WHERE current = 1 AND ticket_id IN (SELECT value FROM json_each(?)) ORDER BY target'
    )
    .all(ids)
  const byTicket = new Map<number, LabelRow[]>()
  for (const l of labels) byTicket.set(l.ticket_id, [...(byTicket.get(l.ticket_id) ?? []), l])

  const out: SimilarTicket[] = []
  for (const hit of hits) {
    const t = tickets.get(hit.id)
    // Deleted since it was indexed: the in-memory index outlives the row until the next load.
    if (!t) continue
    const own = byTicket.get(hit.id) ?? []
    const forTarget = target === undefined ? undefined : own.find((l) => l.target === target)
    out.push({
      ticketId: t.id,
      externalId: t.external_id,
      score: hit.score,
      subject: t.subject,
      snippet: t.snippet,
      created: t.created,
      label: forTarget?.value ?? null,
      origin: forTarget?.origin ?? null,
      labels: Object.fromEntries(own.map((l) => [l.target, l.value]))
    })
  }
  return out
}
