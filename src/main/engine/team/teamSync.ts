// One sync round: push what this desktop made since its last push, then pull what the others made since
// this desktop's cursors. The local SQLite store stays the working copy; sync only reads and writes it.
// Resumable by construction: every pushed row has an id the team already knows (ON CONFLICT), every
// pulled batch commits with its cursor, so a round cut off anywhere (kill -9, network gone) loses and
// duplicates nothing; the next round carries on from where the last commit left it.
//
// The similar-ticket vectors are not synced: each desktop embeds the tickets it pulls with its own
// embedder (the app indexes them after a round; the CLI's `similar` indexes on first use), because
// desktops may run different embedders or execution providers and a vector is cheap to recompute from
// text that is synced anyway. Predictions likewise come from each desktop's active heads (pulled models
// included): tickets lacking one are found by predictionGaps and filled by the usual predict job.
import { EngineError } from '../../../shared/errors.ts'
import type { TeamSyncCounts, TeamSyncResult } from '../../../shared/team.ts'
import type { Db } from '../store/database.ts'
import { checkTeamSchema, connectTeam, type TeamClient } from './teamConnection.ts'
import { cursor, deleteValue, readTeamConfig, readValue, writeValue, type PullKind, type TeamConfig } from './teamConfig.ts'
import { pullTickets, pushTickets } from './ticketSync.ts'
import { pullDecisions, pushDecisions } from './decisionSync.ts'
import { pullModels, pushModels } from './modelSync.ts'

export type SyncCounts = TeamSyncCounts
export type SyncResult = TeamSyncResult

export interface SyncOptions {
  readonly dbPath: string
  readonly batchSize?: number
  /** Called after each committed pull batch; tests throw from it to cut a round off between batches. */
  readonly afterBatch?: (kind: PullKind, rows: number) => void
  readonly timeoutMs?: number
  /** Rows pulled so far of about how many this round has to pull (tickets and decisions): told once before
   * the first batch, then after each committed batch, so that a large catch-up can show its progress. */
  readonly onPull?: (pulled: number, about: number) => void
}

export async function syncOnce(db: Db, options: SyncOptions): Promise<SyncResult> {
  const config = readTeamConfig(db)
  if (!config) throw new EngineError('TEAM_NOT_JOINED', 'This desktop has joined no team: triage team join --url URL.')
  let client: TeamClient
  try {
    client = await connectTeam(config.url, { dbPath: options.dbPath, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) })
  } catch (err) {
    noteFailure(db, err)
    throw err
  }
  try {
    const result = await round(db, client, config, options)
    writeValue(db, 'last_sync_at', result.at)
    writeValue(db, 'last_sync', JSON.stringify(result))
    deleteValue(db, 'offline_since')
    deleteValue(db, 'last_error')
    return result
  } catch (err) {
    noteFailure(db, err)
    throw err
  } finally {
    await client.end().catch(() => {})
  }
}

/** Remembers since when the team has been out of reach, for the status chip. */
function noteFailure(db: Db, err: unknown): void {
  try {
    if (readValue(db, 'offline_since') === undefined) writeValue(db, 'offline_since', new Date().toISOString())
    writeValue(db, 'last_error', (err as Error).message ?? String(err))
  } catch {
    // The database itself failing is reported by the error already thrown.
  }
}

async function round(db: Db, client: TeamClient, config: TeamConfig, options: SyncOptions): Promise<SyncResult> {
  const { teamId } = await checkTeamSchema(client)
  if (config.teamId && teamId !== config.teamId) {
    throw new EngineError('TEAM_SCHEMA', 'The database at this URL holds another team than the one this desktop joined; join it again to switch teams.')
  }
  const batchSize = options.batchSize ?? 2000
  const afterBatch = options.afterBatch ?? (() => {})
  const desktop = config.desktopId
  // A lead may have promoted (or demoted) this role since it joined: its rights are asked each round.
  const lead = (await client.query<{ lead: boolean }>("SELECT has_table_privilege('triage.decisions', 'INSERT') AS lead")).rows[0]!.lead
  if (lead !== config.lead) writeValue(db, 'lead', lead ? '1' : '0')

  const pushedTickets = await pushTickets(db, client, desktop, batchSize)
  const decisionPush = await pushDecisions(db, client, desktop, 500)
  const modelPush = lead ? await pushModels(db, client, desktop, options.dbPath) : { models: 0, activations: 0, thresholds: 0 }

  // One snapshot for the whole pull: a decision read here has its ticket in the same snapshot.
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
  try {
    const onPull = options.onPull
    let batched = afterBatch
    if (onPull) {
      const about = await waitingRows(client, desktop, cursor(db, 'tickets'), cursor(db, 'decisions'))
      let pulled = 0
      onPull(0, about)
      batched = (kind, rows) => {
        afterBatch(kind, rows)
        pulled += rows
        onPull(pulled, Math.max(about, pulled))
      }
    }
    const tickets = await pullTickets(db, client, { desktop, from: cursor(db, 'tickets'), batchSize, url: config.url, afterBatch: batched })
    const decisions = await pullDecisions(db, client, { desktop, from: cursor(db, 'decisions'), batchSize, afterBatch: batched })
    const models = await pullModels(db, client, { desktop, dbPath: options.dbPath, afterBatch })
    await client.query('COMMIT')
    const pushed: SyncCounts = { tickets: pushedTickets, decisions: decisionPush.pushed, ...modelPush }
    const pulled: SyncCounts = { tickets: tickets.pulled, decisions: decisions.pulled, ...models }
    const sum = (c: SyncCounts): number => c.tickets + c.decisions + c.models + c.activations + c.thresholds
    return {
      pushed: sum(pushed),
      pulled: sum(pulled),
      conflicts: decisions.conflicts,
      refused: decisionPush.refused,
      byKind: { pushed, pulled },
      ticketsChanged: tickets.imported + tickets.updated,
      at: new Date().toISOString()
    }
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  }
}

/** Tickets and decisions of other desktops past this desktop's cursors, in the round's snapshot: the "about N" of a catch-up. */
async function waitingRows(client: TeamClient, desktop: string, ticketsFrom: number, decisionsFrom: number): Promise<number> {
  const res = await client.query<{ n: string }>(
    `SELECT (SELECT COUNT(*) FROM triage.tickets WHERE seq > $1 AND desktop <> $3) + (SELECT COUNT(*) FROM triage.decisions WHERE seq > $2 AND desktop <> $3) AS n`,
    [ticketsFrom, decisionsFrom, desktop]
  )
  return Number(res.rows[0]!.n)
}
