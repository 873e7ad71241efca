// Model versions, the active version per target and thresholds between the desktop and the team (leads
// push; everyone pulls). Head files travel as bytes, content-addressed by sha256 (the database checks the
// name against the bytes), and land in the desktop's heads folder through the same content-addressed
// store training uses. A pulled version gets this desktop's next version number for its target; the team's
// id (team_models) is what identifies it across desktops. Validation ticket ids are local row ids, so they
// travel as external ids and are mapped back here.
import { randomUUID } from 'node:crypto'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { HeadMetrics } from '../../../shared/models.ts'
import type { Db } from '../store/database.ts'
import { headsDir } from '../predict/modelRequests.ts'
import { fileStem, storeByContent, type StoredModelFile } from '../predict/modelFileStore.ts'
import { activateHead, activeStoredHead, getHead, insertHead, listHeads, nextVersion, updateThresholds, type HeadParams } from '../predict/modelsRepo.ts'
import type { TeamClient } from './teamConnection.ts'
import { cursor, deleteValue, readValue, setCursor, writeValue, type PullKind } from './teamConfig.ts'

const digest = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex')

interface ModelCounts {
  models: number
  activations: number
  thresholds: number
}

function teamIdOf(db: Db, modelId: number): string | undefined {
  return (db.prepare('SELECT team_id FROM team_models WHERE model_id = ? AND seq IS NOT NULL').get(modelId) as { team_id: string } | undefined)?.team_id
}

/** Pushes this desktop's model versions the team lacks, then activations and threshold changes. */
export async function pushModels(db: Db, client: TeamClient, desktop: string, _dbPath: string): Promise<ModelCounts> {
  const counts: ModelCounts = { models: 0, activations: 0, thresholds: 0 }
  db.transaction(() => {
    const add = db.prepare('INSERT OR IGNORE INTO team_models (model_id, team_id) VALUES (?, ?)')
    for (const h of listHeads(db)) add.run(h.summary.id, randomUUID())
  })()
  const pending = db.prepare('SELECT model_id, team_id FROM team_models WHERE seq IS NULL ORDER BY model_id').all() as { model_id: number; team_id: string }[]
  for (const p of pending) {
    const head = getHead(db, p.model_id)
    const headBytes = readFileSync(head.file)
    const graphBytes = head.graph ? readFileSync(head.graph.path) : undefined
    const params = teamParams(db, head.params)
    await inTransaction(client, async () => {
      for (const bytes of graphBytes ? [headBytes, graphBytes] : [headBytes]) {
        await client.query(
          `INSERT INTO triage.model_files (sha256, bytes, desktop) VALUES (encode(sha256($1::bytea), 'hex'), $1, $2) ON CONFLICT (sha256) DO NOTHING`,
          [bytes, desktop]
        )
      }
      const res = await client.query(
        `INSERT INTO triage.models (id, target, head_sha256, graph_sha256, params, metrics, trained_at, desktop)
         VALUES ($1, $2, encode(sha256($3::bytea), 'hex'), CASE WHEN $4::bytea IS NULL THEN NULL ELSE encode(sha256($4::bytea), 'hex') END, $5, $6, $7, $8)
         ON CONFLICT (id) DO NOTHING`,
        [p.team_id, head.summary.target, headBytes, graphBytes ?? null, JSON.stringify(params), JSON.stringify(head.summary.metrics), head.summary.createdAt, desktop]
      )
      counts.models += res.rowCount ?? 0
    })
    const seq = await client.query<{ seq: string }>('SELECT seq FROM triage.models WHERE id = $1', [p.team_id])
    db.transaction(() => {
      db.prepare('UPDATE team_models SET seq = ? WHERE model_id = ?').run(Number(seq.rows[0]!.seq), p.model_id)
      writeValue(db, `thresholds:${p.team_id}`, digest(head.params.thresholds))
    })()
  }
  // Activations: the active version here, where the team last heard of another one.
  const targets = new Set(listHeads(db).map((h) => h.summary.target))
  for (const target of targets) {
    const active = activeStoredHead(db, target)
    const teamId = active ? teamIdOf(db, active.summary.id) : undefined
    if (!teamId || readValue(db, `active:${target}`) === teamId) continue
    const id = pendingId(db, `activation:${target}:${teamId}`)
    await inTransaction(client, async () => {
      const res = await client.query('INSERT INTO triage.activations (id, model_id, target, desktop) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [id, teamId, target, desktop])
      counts.activations += res.rowCount ?? 0
    })
    db.transaction(() => {
      writeValue(db, `active:${target}`, teamId)
      deleteValue(db, `pending:activation:${target}:${teamId}`)
    })()
  }
  // Thresholds changed here since the team last had them.
  for (const h of listHeads(db)) {
    const teamId = teamIdOf(db, h.summary.id)
    const wanted = digest(h.params.thresholds)
    if (!teamId || readValue(db, `thresholds:${teamId}`) === wanted) continue
    const id = pendingId(db, `thresholds:${teamId}:${wanted}`)
    await inTransaction(client, async () => {
      const res = await client.query('INSERT INTO triage.thresholds (id, model_id, thresholds, desktop) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [id, teamId, JSON.stringify(h.params.thresholds), desktop])
      counts.thresholds += res.rowCount ?? 0
    })
    db.transaction(() => {
      writeValue(db, `thresholds:${teamId}`, wanted)
      deleteValue(db, `pending:thresholds:${teamId}:${wanted}`)
    })()
  }
  return counts
}

/**
 * The team id of a change about to be pushed, stored here before the push: a push cut off after the
 * database committed it is repeated with the same id, which the database already has (ON CONFLICT).
 */
function pendingId(db: Db, key: string): string {
  const known = readValue(db, `pending:${key}`)
  if (known) return known
  const id = randomUUID()
  writeValue(db, `pending:${key}`, id)
  return id
}

async function inTransaction(client: TeamClient, body: () => Promise<void>): Promise<void> {
  await client.query('BEGIN')
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('triage.change_seq'))")
    await body()
    await client.query('COMMIT')
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  }
}

/** A head's parameters as the team keeps them: validation tickets named by external id, not local row id. */
export function teamParams(db: Db, params: HeadParams): TeamModel['params'] {
  const { ticketIds, ...validation } = params.validation
  return { ...params, validation: { ...validation, ticketIds: [], externalIds: externalIds(db, ticketIds ?? []) } }
}

function externalIds(db: Db, ids: readonly number[]): (string | null)[] {
  const get = db.prepare('SELECT external_id FROM tickets WHERE id = ?')
  return ids.map((id) => (get.get(id) as { external_id: string } | undefined)?.external_id ?? null)
}

function localIds(db: Db, ext: readonly (string | null)[]): number[] {
  const get = db.prepare('SELECT id FROM tickets WHERE external_id = ?')
  return ext.map((e) => (e === null ? 0 : ((get.get(e) as { id: number } | undefined)?.id ?? 0)))
}

export interface TeamModel {
  id: string
  target: string
  params: HeadParams & { validation: HeadParams['validation'] & { externalIds?: (string | null)[] } }
  metrics: HeadMetrics
  head: Buffer
  head_sha256: string
  graph: Buffer | null
  graph_sha256: string | null
  seq: string
}

/** Pulls model versions, then activations, then thresholds (in the caller's snapshot), each row with its cursor. */
export async function pullModels(db: Db, client: TeamClient, o: { desktop: string; dbPath: string; afterBatch: (kind: PullKind, rows: number) => void }): Promise<ModelCounts> {
  const counts: ModelCounts = { models: 0, activations: 0, thresholds: 0 }
  const dir = headsDir(o.dbPath)
  const models = await client.query<TeamModel>(
    `SELECT m.id, m.target, m.params, m.metrics, h.bytes AS head, m.head_sha256, g.bytes AS graph, m.graph_sha256, m.seq
     FROM triage.models m JOIN triage.model_files h ON h.sha256 = m.head_sha256 LEFT JOIN triage.model_files g ON g.sha256 = m.graph_sha256
     WHERE m.seq > $1 AND m.desktop <> $2 ORDER BY m.seq`,
    [cursor(db, 'models'), o.desktop]
  )
  for (const m of models.rows) {
    const files = storeModelFiles(dir, m)
    db.transaction(() => {
      if (applyTeamModel(db, m, files)) counts.models++
      setCursor(db, 'models', Number(m.seq))
    })()
    o.afterBatch('models', 1)
  }
  const activations = await client.query<{ model_id: string; target: string; seq: string }>(
    'SELECT model_id, target, seq FROM triage.activations WHERE seq > $1 AND desktop <> $2 ORDER BY seq',
    [cursor(db, 'activations'), o.desktop]
  )
  db.transaction(() => {
    for (const a of activations.rows) {
      if (applyActivation(db, a)) counts.activations++
      setCursor(db, 'activations', Number(a.seq))
    }
  })()
  const thresholds = await client.query<{ model_id: string; thresholds: HeadParams['thresholds']; seq: string }>(
    'SELECT model_id, thresholds, seq FROM triage.thresholds WHERE seq > $1 AND desktop <> $2 ORDER BY seq',
    [cursor(db, 'thresholds'), o.desktop]
  )
  db.transaction(() => {
    for (const t of thresholds.rows) {
      if (applyThresholds(db, t)) counts.thresholds++
      setCursor(db, 'thresholds', Number(t.seq))
    }
  })()
  return counts
}

/**
 * Writes a team model's files into the heads folder (content-addressed, atomic). Files come before the row:
 * a crash in between leaves unreferenced files, which the next attempt finds already in place.
 */
export function storeModelFiles(dir: string, m: Pick<TeamModel, 'target' | 'head' | 'graph'>): { head: StoredModelFile; graph: StoredModelFile | undefined } {
  return {
    head: storeByContent(dir, fileStem(m.target), 'head', m.head),
    graph: m.graph ? storeByContent(dir, fileStem(m.target), 'onnx', m.graph) : undefined
  }
}

/** Records a team model version here (inside the caller's transaction); false when it is here already. */
export function applyTeamModel(db: Db, m: Pick<TeamModel, 'id' | 'target' | 'params' | 'metrics' | 'seq'>, files: { head: StoredModelFile; graph: StoredModelFile | undefined }): boolean {
  if (db.prepare('SELECT 1 FROM team_models WHERE team_id = ?').get(m.id)) return false
  const { externalIds: ext, ...validation } = m.params.validation
  const params: HeadParams = { ...m.params, foreignTicketIds: true, validation: { ...validation, ticketIds: localIds(db, ext ?? []) } }
  const { head, graph } = files
  const modelId = insertHead(db, {
    target: m.target, version: nextVersion(db, m.target), sha256: head.sha256, file: head.path, bytes: head.bytes,
    ...(graph ? { graph: { path: graph.path, bytes: graph.bytes, sha256: graph.sha256 } } : {}),
    params, metrics: m.metrics
  })
  db.prepare('INSERT INTO team_models (model_id, team_id, seq) VALUES (?, ?, ?)').run(modelId, m.id, Number(m.seq))
  writeValue(db, `thresholds:${m.id}`, digest(params.thresholds))
  return true
}

/** Makes a team model version the active one for its target here; false when the version is unknown here. */
export function applyActivation(db: Db, a: { model_id: string; target: string }): boolean {
  const local = db.prepare('SELECT model_id FROM team_models WHERE team_id = ?').get(a.model_id) as { model_id: number } | undefined
  if (!local) return false
  activateHead(db, local.model_id)
  writeValue(db, `active:${a.target}`, a.model_id)
  return true
}

export function applyThresholds(db: Db, t: { model_id: string; thresholds: HeadParams['thresholds'] }): boolean {
  const local = db.prepare('SELECT model_id FROM team_models WHERE team_id = ?').get(t.model_id) as { model_id: number } | undefined
  if (!local) return false
  updateThresholds(db, local.model_id, t.thresholds)
  writeValue(db, `thresholds:${t.model_id}`, digest(t.thresholds))
  return true
}
