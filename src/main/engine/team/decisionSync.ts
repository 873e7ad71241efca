// Review decisions between the desktop and the team. Decisions are append-only on both sides; each gets
// a team id (a UUID made here, so a push repeated after a crash is a no-op: ON CONFLICT DO NOTHING) and a
// server order (seq). Conflict rule, the same on every desktop: when two leads decided the same ticket and
// target without seeing each other's decision, the one later in server order wins; the other stays in the
// audit trail, marked superseded (team_reviews.superseded_by), which `team status` shows its author.
import { randomUUID } from 'node:crypto'
import type { Db } from '../store/database.ts'
import type { TeamClient } from './teamConnection.ts'
import { setCursor } from './teamConfig.ts'

interface Unpushed {
  review_id: number
  team_id: string
  external_id: string
  target: string
  action: 'accept' | 'correct' | 'undo'
  predicted: string | null
  from_value: string | null
  to_value: string | null
  undoes: string | null
  batch_id: string | null
  at: string
}

export interface DecisionPush {
  readonly pushed: number
  /** Decisions the database refused to take from this role (an agent's): they stay on this desktop. */
  readonly refused: number
}

export async function pushDecisions(db: Db, client: TeamClient, desktop: string, batchSize: number): Promise<DecisionPush> {
  assignTeamIds(db)
  const pending = db.prepare<[number, number], Unpushed>(
    `SELECT tr.review_id, tr.team_id, t.external_id, r.target, r.action, r.predicted, r.from_value, r.to_value, u.team_id AS undoes, r.batch_id, r.at
     FROM team_reviews tr JOIN reviews r ON r.id = tr.review_id JOIN tickets t ON t.id = r.ticket_id
     LEFT JOIN team_reviews u ON u.review_id = r.undoes
     WHERE tr.seq IS NULL AND tr.superseded_by IS NULL AND tr.review_id > ?
       -- the undo of a decision that lost before it ever went out stays here with it
       AND NOT (r.action = 'undo' AND u.seq IS NULL AND u.superseded_by IS NOT NULL)
     ORDER BY tr.review_id LIMIT ?`
  )
  const setSeq = db.prepare('UPDATE team_reviews SET seq = ? WHERE team_id = ?')
  let pushed = 0
  for (let after = 0; ; ) {
    const rows = pending.all(after, batchSize)
    if (rows.length === 0) return { pushed, refused: 0 }
    await client.query('BEGIN')
    try {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('triage.change_seq'))")
      for (const r of rows) {
        const res = await client.query(
          `INSERT INTO triage.decisions (id, external_id, target, action, predicted, from_value, to_value, undoes, batch_id, decided_at, desktop)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
          [r.team_id, r.external_id, r.target, r.action, r.predicted, r.from_value, r.to_value, r.undoes, r.batch_id, r.at, desktop]
        )
        pushed += res.rowCount ?? 0
      }
      await client.query('COMMIT')
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {})
      // No INSERT right on decisions: this role is an agent. Its decisions stay local; the next sync tries
      // again, so they go out once a lead grants this role the leads' rights.
      if ((err as { code?: string }).code === '42501') return { pushed, refused: countUnpushed(db) }
      throw err
    }
    const seqs = await client.query<{ id: string; seq: string }>('SELECT id, seq FROM triage.decisions WHERE id = ANY($1::uuid[])', [rows.map((r) => r.team_id)])
    db.transaction(() => {
      for (const s of seqs.rows) setSeq.run(Number(s.seq), s.id)
    })()
    after = rows.at(-1)!.review_id
  }
}

/** Gives every decision here its team id, in its own transaction: a push cut off and repeated sends the same ids. */
export function assignTeamIds(db: Db): void {
  db.transaction(() => {
    const fresh = db.prepare('SELECT r.id FROM reviews r LEFT JOIN team_reviews tr ON tr.review_id = r.id WHERE tr.review_id IS NULL ORDER BY r.id').all() as { id: number }[]
    const add = db.prepare('INSERT INTO team_reviews (review_id, team_id) VALUES (?, ?)')
    for (const r of fresh) add.run(r.id, randomUUID())
  })()
}

export function countUnpushed(db: Db): number {
  // A decision here that lost to the team's before it ever went out stays here, superseded: not pending.
  return (db.prepare('SELECT COUNT(*) AS n FROM reviews r LEFT JOIN team_reviews tr ON tr.review_id = r.id WHERE tr.review_id IS NULL OR (tr.seq IS NULL AND tr.superseded_by IS NULL)').get() as { n: number }).n
}

export interface TeamDecision {
  id: string
  external_id: string
  target: string
  action: 'accept' | 'correct' | 'undo'
  predicted: string | null
  from_value: string | null
  to_value: string | null
  undoes: string | null
  batch_id: string | null
  decided_at: Date | string
  author: string
  seq: string
}

export interface DecisionPullCounts {
  pulled: number
  conflicts: number
}

export async function pullDecisions(
  db: Db,
  client: TeamClient,
  o: { desktop: string; from: number; batchSize: number; afterBatch: (kind: 'decisions', rows: number) => void }
): Promise<DecisionPullCounts> {
  const counts: DecisionPullCounts = { pulled: 0, conflicts: 0 }
  for (let at = o.from; ; ) {
    const res = await client.query<TeamDecision>(
      `SELECT id, external_id, target, action, predicted, from_value, to_value, undoes, batch_id, decided_at, author, seq FROM triage.decisions
       WHERE seq > $1 AND desktop <> $2 ORDER BY seq LIMIT $3`,
      [at, o.desktop, o.batchSize]
    )
    if (res.rows.length === 0) return counts
    db.transaction(() => {
      for (const d of res.rows) {
        if (applyTeamDecision(db, d) === 'conflict') counts.conflicts++
      }
      counts.pulled += res.rows.length
      at = Number(res.rows.at(-1)!.seq)
      setCursor(db, 'decisions', at)
    })()
    o.afterBatch('decisions', res.rows.length)
  }
}

interface LiveDecision {
  id: number
  team_id: string | null
  seq: number | null
}

/** Applies one decision from the team inside the caller's transaction. */
export function applyTeamDecision(db: Db, d: TeamDecision): 'applied' | 'conflict' | 'known' {
  if (db.prepare('SELECT 1 FROM team_reviews WHERE team_id = ?').get(d.id)) return 'known'
  const ticket = db.prepare('SELECT id FROM tickets WHERE external_id = ?').get(d.external_id) as { id: number } | undefined
  // Tickets are pulled before decisions from the same snapshot, so this is a ticket deleted here: nothing to label.
  if (!ticket) return 'known'
  const at = new Date(d.decided_at).toISOString()
  const seq = Number(d.seq)
  if (d.action === 'undo') return applyTeamUndo(db, d, ticket.id, at, seq)
  const live = db
    .prepare(
      `SELECT r.id, tr.team_id, tr.seq FROM reviews r LEFT JOIN team_reviews tr ON tr.review_id = r.id
       WHERE r.ticket_id = ? AND r.target = ? AND r.action != 'undo' AND r.undone = 0 AND tr.superseded_by IS NULL
       ORDER BY r.id DESC LIMIT 1`
    )
    .get(ticket.id, d.target) as LiveDecision | undefined
  const insertReview = (prevLabelId: number | null): number =>
    Number(
      db
        .prepare(
          `INSERT INTO reviews (ticket_id, target, action, predicted, from_value, to_value, prev_label_id, who, at, batch_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
        )
        .run(ticket.id, d.target, d.action, d.predicted, d.from_value, d.to_value, prevLabelId, d.author, at, d.batch_id).lastInsertRowid
    )
  if (live && live.seq !== null && live.seq > seq) {
    // The decision here is later in server order: the team's earlier one loses, and is kept as superseded.
    const reviewId = insertReview(null)
    db.prepare('INSERT INTO team_reviews (review_id, team_id, seq, superseded_by) VALUES (?, ?, ?, ?)').run(reviewId, d.id, seq, live.team_id)
    return 'conflict'
  }
  if (live) {
    // The team's decision is later (or the one here never reached the team): it wins, the one here is superseded.
    if (live.team_id === null) db.prepare('INSERT INTO team_reviews (review_id, team_id) VALUES (?, ?)').run(live.id, randomUUID())
    db.prepare('UPDATE team_reviews SET superseded_by = ? WHERE review_id = ?').run(d.id, live.id)
  }
  const current = db.prepare('SELECT id FROM labels WHERE ticket_id = ? AND target = ? AND current = 1').get(ticket.id, d.target) as { id: number } | undefined
  if (current) db.prepare('UPDATE labels SET current = 0 WHERE id = ?').run(current.id)
  if (d.to_value !== null) {
    db.prepare("INSERT INTO labels (ticket_id, target, value, origin, who, at, current) VALUES (?, ?, ?, 'review', ?, ?, 1)").run(ticket.id, d.target, d.to_value, d.author, at)
  }
  const reviewId = insertReview(current?.id ?? null)
  db.prepare('INSERT INTO team_reviews (review_id, team_id, seq) VALUES (?, ?, ?)').run(reviewId, d.id, seq)
  return live ? 'conflict' : 'applied'
}

/** A lead's undo from the team: the label before the decision comes back, as `undo` does here. */
function applyTeamUndo(db: Db, d: TeamDecision, ticketId: number, at: string, seq: number): 'applied' | 'known' {
  const undone = d.undoes
    ? (db
        .prepare(
          `SELECT r.id, r.prev_label_id, r.undone, tr.superseded_by FROM team_reviews tr JOIN reviews r ON r.id = tr.review_id WHERE tr.team_id = ?`
        )
        .get(d.undoes) as { id: number; prev_label_id: number | null; undone: number; superseded_by: string | null } | undefined)
    : undefined
  if (undone && undone.undone === 0) {
    if (undone.superseded_by === null) {
      db.prepare("UPDATE labels SET current = 0 WHERE ticket_id = ? AND target = ? AND current = 1 AND origin = 'review'").run(ticketId, d.target)
      const newestImported = db
        .prepare("SELECT id FROM labels WHERE ticket_id = ? AND target = ? AND origin = 'import' ORDER BY id DESC LIMIT 1")
        .get(ticketId, d.target) as { id: number } | undefined
      const restore = Math.max(newestImported?.id ?? -1, undone.prev_label_id ?? -1)
      const hasCurrent = db.prepare('SELECT 1 FROM labels WHERE ticket_id = ? AND target = ? AND current = 1').get(ticketId, d.target)
      if (restore > 0 && !hasCurrent) db.prepare('UPDATE labels SET current = 1 WHERE id = ?').run(restore)
    }
    db.prepare('UPDATE reviews SET undone = 1 WHERE id = ?').run(undone.id)
  }
  const reviewId = Number(
    db
      .prepare("INSERT INTO reviews (ticket_id, target, action, from_value, to_value, undoes, who, at, batch_id) VALUES (?, ?, 'undo', ?, ?, ?, ?, ?, ?)")
      .run(ticketId, d.target, d.from_value, d.to_value, undone?.id ?? null, d.author, at, d.batch_id).lastInsertRowid
  )
  db.prepare('INSERT INTO team_reviews (review_id, team_id, seq) VALUES (?, ?, ?)').run(reviewId, d.id, seq)
  return 'applied'
}
