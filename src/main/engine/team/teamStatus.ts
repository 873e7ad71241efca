// What the status chip and `triage team status` show: joined or not, online or offline since when, how
// much waits to be pushed, the last round, and this desktop's decisions that lost a conflict.
import type { SupersededDecision, TeamStatus, TeamSyncResult } from '../../../shared/team.ts'
import type { Db } from '../store/database.ts'
import { countUnpushed } from './decisionSync.ts'
import { readSettings } from '../store/settingsRepo.ts'
import { readTeamConfig, readValue, reviewerIdentity } from './teamConfig.ts'

export function teamStatus(db: Db): TeamStatus {
  const config = readTeamConfig(db)
  const last = readValue(db, 'last_sync')
  const tickets = (
    db.prepare('SELECT COUNT(*) AS n FROM tickets t LEFT JOIN team_tickets m ON m.ticket_id = t.id WHERE m.content_hash IS NULL OR m.content_hash <> t.content_hash').get() as { n: number }
  ).n
  return {
    joined: config !== undefined,
    url: config?.url ?? null,
    role: config?.role ?? null,
    lead: config?.lead ?? false,
    lastSyncAt: readValue(db, 'last_sync_at') ?? null,
    offlineSince: readValue(db, 'offline_since') ?? null,
    lastError: readValue(db, 'last_error') ?? null,
    toPush: { tickets, decisions: countUnpushed(db) },
    lastSync: last ? (JSON.parse(last) as TeamSyncResult) : null,
    superseded: supersededHere(db, reviewerIdentity(db, readSettings(db).reviewerName))
  }
}

/** Decisions made here (by this desktop's role, or its reviewer name outside a team) that a later decision in the team's order replaced. */
function supersededHere(db: Db, role: string): SupersededDecision[] {
  return (
    db
      .prepare(
        `SELECT t.external_id AS externalId, r.target, r.to_value AS yours, r.at, w.to_value AS winner, w.who AS winnerBy
         FROM team_reviews tr JOIN reviews r ON r.id = tr.review_id JOIN tickets t ON t.id = r.ticket_id
         LEFT JOIN team_reviews wt ON wt.team_id = tr.superseded_by LEFT JOIN reviews w ON w.id = wt.review_id
         WHERE tr.superseded_by IS NOT NULL AND r.who = ? ORDER BY r.id DESC LIMIT 100`
      )
      .all(role) as SupersededDecision[]
  )
}
