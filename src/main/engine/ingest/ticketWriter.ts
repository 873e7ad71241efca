// Writes ticket candidates into the store: insert new tickets, update changed ones by external id while
// keeping their label history, and count the rest as duplicates. Callers wrap batches in a transaction.
import type { Db } from '../store/database.ts'
import type { TicketCandidate } from './recordMapper.ts'

export type WriteOutcome = 'imported' | 'updated' | 'duplicate' | { readonly conflict: string }

interface Existing {
  id: number
  subject: string
  body: string
  content_hash: string
  last_import_id: number
}

export class TicketWriter {
  private readonly findByExternalId
  private readonly insertTicket
  private readonly updateTicket
  private readonly touchTicket
  private readonly ftsInsert
  private readonly ftsDelete
  private readonly currentLabels
  private readonly latestImported
  private readonly insertLabel
  private readonly retireLabel
  private readonly dropVectors

  constructor(
    db: Db,
    private readonly importId: number
  ) {
    this.findByExternalId = db.prepare<[string], Existing>(
      'SELECT id, subject, body, content_hash, last_import_id FROM tickets WHERE external_id = ?'
    )
    this.insertTicket = db.prepare(
      `INSERT INTO tickets (external_id, subject, body, created, status, priority, raw, content_hash, import_id, last_import_id, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    )
    this.updateTicket = db.prepare(
      `UPDATE tickets SET subject = ?, body = ?, created = ?, status = ?, priority = ?, raw = ?, content_hash = ?,
       last_import_id = ?, updated_at = ? WHERE id = ?`
    )
    this.touchTicket = db.prepare('UPDATE tickets SET last_import_id = ? WHERE id = ?')
    this.ftsInsert = db.prepare('INSERT INTO tickets_fts (rowid, subject, body) VALUES (?, ?, ?)')
    this.ftsDelete = db.prepare("INSERT INTO tickets_fts (tickets_fts, rowid, subject, body) VALUES ('delete', ?, ?, ?)")
    this.currentLabels = db.prepare<[number], { target: string; value: string; origin: string }>(
      'SELECT target, value, origin FROM labels WHERE ticket_id = ? AND current = 1'
    )
    this.latestImported = db.prepare<[number, string], { value: string }>(
      "SELECT value FROM labels WHERE ticket_id = ? AND target = ? AND origin = 'import' ORDER BY id DESC LIMIT 1"
    )
    this.insertLabel = db.prepare(
      "INSERT INTO labels (ticket_id, target, value, origin, who, at, current) VALUES (?, ?, ?, 'import', NULL, ?, ?)"
    )
    this.retireLabel = db.prepare('UPDATE labels SET current = 0 WHERE ticket_id = ? AND target = ? AND current = 1')
    this.dropVectors = db.prepare('DELETE FROM embeddings WHERE ticket_id = ?')
  }

  /** `externalId` is the file's id, or an identity derived from the content when the file has none. */
  write(externalId: string, t: TicketCandidate, now: string): WriteOutcome {
    const existing = this.findByExternalId.get(externalId)
    if (!existing) {
      const info = this.insertTicket.run(
        externalId, t.subject, t.body, t.created, t.status, t.priority, t.raw, t.contentHash, this.importId, this.importId, now
      )
      const id = Number(info.lastInsertRowid)
      this.ftsInsert.run(id, t.subject, t.body)
      for (const [target, value] of t.labels) this.insertLabel.run(id, target, value, now, 1)
      return 'imported'
    }
    if (existing.content_hash === t.contentHash) {
      if (existing.last_import_id !== this.importId) this.touchTicket.run(this.importId, existing.id)
      return 'duplicate'
    }
    if (existing.last_import_id === this.importId) {
      return { conflict: `id "${externalId}" appears earlier in this file with different content` }
    }
    this.updateTicket.run(
      t.subject, t.body, t.created, t.status, t.priority, t.raw, t.contentHash, this.importId, now, existing.id
    )
    this.ftsDelete.run(existing.id, existing.subject, existing.body)
    this.ftsInsert.run(existing.id, t.subject, t.body)
    // Its vectors describe the old text: drop them so the next indexing run embeds the new one.
    this.dropVectors.run(existing.id)
    this.updateLabels(existing.id, t.labels, now)
    return 'updated'
  }

  /**
   * A changed imported label retires the old one, which stays as history, and becomes the current label —
   * unless a lead decided the ticket: a review decision stays the label until a lead changes it (a customer
   * reply re-exported with the helpdesk's old queue must not revert it), and the helpdesk's new word is kept
   * as history, where the ticket panel shows that the helpdesk now says otherwise.
   */
  private updateLabels(ticketId: number, labels: TicketCandidate['labels'], now: string): void {
    const current = new Map(this.currentLabels.all(ticketId).map((l) => [l.target, l]))
    for (const [target, value] of labels) {
      const label = current.get(target)
      if (label?.origin === 'review') {
        if (this.latestImported.get(ticketId, target)?.value !== value) this.insertLabel.run(ticketId, target, value, now, 0)
        continue
      }
      if (label?.value === value) continue
      this.retireLabel.run(ticketId, target)
      this.insertLabel.run(ticketId, target, value, now, 1)
    }
  }
}
