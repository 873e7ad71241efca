// Tickets and their helpdesk labels between the desktop and the team, keyed by external id: two agents
// importing the same export push the same ids, and the database keeps one ticket per id (ON CONFLICT).
// Pulled tickets go through the importer's own TicketWriter, as if imported from a file named "team":
// a new ticket is inserted with its labels, a changed one is updated with its label history kept, and a
// lead's decision stays the label over the helpdesk's word, exactly as for a re-import.
import type { Db } from '../store/database.ts'
import { TicketWriter } from '../ingest/ticketWriter.ts'
import type { TicketCandidate } from '../ingest/recordMapper.ts'
import type { TeamClient } from './teamConnection.ts'
import { setCursor } from './teamConfig.ts'

interface LocalTicket {
  id: number
  external_id: string
  subject: string
  body: string
  created: string | null
  status: string | null
  priority: string | null
  raw: string
  content_hash: string
}

/** Pushes every ticket whose content the team does not have yet; returns how many rows the team took. */
export async function pushTickets(db: Db, client: TeamClient, desktop: string, batchSize: number): Promise<number> {
  const pending = db.prepare<[number, number], LocalTicket>(
    `SELECT t.id, t.external_id, t.subject, t.body, t.created, t.status, t.priority, t.raw, t.content_hash
     FROM tickets t LEFT JOIN team_tickets m ON m.ticket_id = t.id
     WHERE (m.content_hash IS NULL OR m.content_hash <> t.content_hash) AND t.id > ? ORDER BY t.id LIMIT ?`
  )
  const mark = db.prepare('INSERT INTO team_tickets (ticket_id, content_hash) VALUES (?, ?) ON CONFLICT (ticket_id) DO UPDATE SET content_hash = excluded.content_hash')
  let taken = 0
  for (let after = 0; ; ) {
    const rows = pending.all(after, batchSize)
    if (rows.length === 0) return taken
    const labels = importedLabels(db, rows.map((r) => r.id))
    await client.query('BEGIN')
    try {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('triage.change_seq'))")
      const res = await client.query(
        `INSERT INTO triage.tickets (external_id, subject, body, created, status, priority, labels, raw, content_hash, desktop)
         SELECT e, s, b, c, st, p, l::jsonb, r, h, $10 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS x(e, s, b, c, st, p, l, r, h)
         ON CONFLICT (external_id) DO UPDATE SET subject = excluded.subject, body = excluded.body, created = excluded.created,
           status = excluded.status, priority = excluded.priority, labels = excluded.labels, raw = excluded.raw,
           content_hash = excluded.content_hash, desktop = excluded.desktop
         WHERE triage.tickets.content_hash <> excluded.content_hash`,
        [
          rows.map((r) => r.external_id), rows.map((r) => r.subject), rows.map((r) => r.body), rows.map((r) => r.created),
          rows.map((r) => r.status), rows.map((r) => r.priority), rows.map((r) => JSON.stringify(labels.get(r.id) ?? [])),
          rows.map((r) => r.raw), rows.map((r) => r.content_hash), desktop
        ]
      )
      await client.query('COMMIT')
      taken += res.rowCount ?? 0
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {})
      throw err
    }
    // Killed between the commit above and this mark: the next push sends the same rows, which the
    // database already has with this content, and takes nothing twice.
    db.transaction(() => {
      for (const r of rows) mark.run(r.id, r.content_hash)
    })()
    after = rows.at(-1)!.id
  }
}

/** The helpdesk's latest word per target for each ticket (a lead's decision is not the helpdesk's label). */
function importedLabels(db: Db, ids: readonly number[]): Map<number, [string, string][]> {
  const out = new Map<number, [string, string][]>()
  const rows = db
    .prepare(
      `SELECT l.ticket_id, l.target, l.value FROM labels l
       WHERE l.id IN (SELECT MAX(id) FROM labels WHERE origin = 'import' AND ticket_id IN (SELECT value FROM json_each(?)) GROUP BY ticket_id, target)
       ORDER BY l.id`
    )
    .all(JSON.stringify(ids)) as { ticket_id: number; target: string; value: string }[]
  for (const r of rows) {
    const list = out.get(r.ticket_id) ?? []
    list.push([r.target, r.value])
    out.set(r.ticket_id, list)
  }
  return out
}

interface TeamTicket {
  external_id: string
  subject: string
  body: string
  created: string | null
  status: string | null
  priority: string | null
  labels: [string, string][]
  raw: string
  content_hash: string
  seq: string
}

export interface TicketPullCounts {
  pulled: number
  imported: number
  updated: number
}

/**
 * Pulls the tickets other desktops pushed since the cursor, one batch per SQLite transaction that also
 * moves the cursor: a sync cut off anywhere has applied whole batches and their cursor, or nothing.
 */
export async function pullTickets(
  db: Db,
  client: TeamClient,
  o: { desktop: string; from: number; batchSize: number; url: string; afterBatch: (kind: 'tickets', rows: number) => void }
): Promise<TicketPullCounts> {
  const counts: TicketPullCounts = { pulled: 0, imported: 0, updated: 0 }
  let importId: number | undefined
  const mark = db.prepare('INSERT INTO team_tickets (ticket_id, content_hash) VALUES (?, ?) ON CONFLICT (ticket_id) DO UPDATE SET content_hash = excluded.content_hash')
  const idOf = db.prepare<[string], { id: number }>('SELECT id FROM tickets WHERE external_id = ?')
  for (let at = o.from; ; ) {
    const res = await client.query<TeamTicket>(
      `SELECT external_id, subject, body, created, status, priority, labels, raw, content_hash, seq FROM triage.tickets
       WHERE seq > $1 AND desktop <> $2 ORDER BY seq LIMIT $3`,
      [at, o.desktop, o.batchSize]
    )
    if (res.rows.length === 0) return counts
    const now = new Date().toISOString()
    db.transaction(() => {
      importId ??= teamImport(db, o.url, now)
      const writer = new TicketWriter(db, importId)
      let duplicate = 0
      for (const t of res.rows) {
        const outcome = writer.write(t.external_id, candidate(t), now)
        if (outcome === 'imported') counts.imported++
        else if (outcome === 'updated') counts.updated++
        else duplicate++
        mark.run(idOf.get(t.external_id)!.id, t.content_hash)
      }
      counts.pulled += res.rows.length
      at = Number(res.rows.at(-1)!.seq)
      setCursor(db, 'tickets', at)
      db.prepare('UPDATE imports SET read = read + ?, imported = ?, updated = ?, duplicate = duplicate + ?, finished_at = ? WHERE id = ?').run(
        res.rows.length, counts.imported, counts.updated, duplicate, now, importId
      )
    })()
    o.afterBatch('tickets', res.rows.length)
  }
}

function candidate(t: TeamTicket): TicketCandidate {
  return {
    externalId: t.external_id,
    subject: t.subject,
    body: t.body,
    created: t.created,
    status: t.status,
    priority: t.priority,
    labels: t.labels,
    raw: t.raw,
    contentHash: t.content_hash
  }
}

/** The import row the pulled tickets of one sync round belong to, so the imports list says what sync brought. */
function teamImport(db: Db, url: string, now: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO imports (file_name, file_path, sha256, bytes, encoding, delimiter, headers, mapping, status, started_at, finished_at, message)
         VALUES ('team sync', ?, '', 0, 'utf-8', ',', '[]', '{}', 'done', ?, ?, 'tickets pulled from the team database')`
      )
      .run(url, now, now).lastInsertRowid
  )
}
