// Team bundles, for teams without a reachable database: a lead exports one file (model versions with their
// head files, the active version per target, thresholds, and decisions since a date), agents import it.
// Importing applies the file with the same code as a sync pull (applyTeamDecision, applyTeamModel,
// applyActivation, applyThresholds), hence the same conflict rule: the later decision wins, the other stays
// as superseded. Order is the team database's where the exporting desktop syncs (its seq), otherwise the
// time of the decision, so bundles from the same lead apply in the order they were decided. A desktop
// should take its team's decisions either from sync or from bundles, not both: the two orders do not mix.
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { EngineError } from '../../../shared/errors.ts'
import type { Db } from '../store/database.ts'
import { headsDir } from '../predict/modelRequests.ts'
import { writeFileAtomic } from '../predict/modelFileStore.ts'
import { activeStoredHead, getHead, listHeads } from '../predict/modelsRepo.ts'
import { applyTeamDecision, assignTeamIds, type TeamDecision } from './decisionSync.ts'
import { applyActivation, applyTeamModel, applyThresholds, storeModelFiles, teamParams, type TeamModel } from './modelSync.ts'
import { randomUUID } from 'node:crypto'

const FORMAT = 'triage-team-bundle'

const bundleSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  createdAt: z.string(),
  since: z.string().nullable(),
  decisions: z.array(
    z.object({
      id: z.string().uuid(), external_id: z.string(), target: z.string(), action: z.enum(['accept', 'correct', 'undo']),
      predicted: z.string().nullable(), from_value: z.string().nullable(), to_value: z.string().nullable(),
      undoes: z.string().nullable(), batch_id: z.string().nullable(), decided_at: z.string(), author: z.string(), seq: z.number()
    })
  ),
  models: z.array(
    z.object({
      id: z.string().uuid(), target: z.string(), params: z.record(z.string(), z.unknown()), metrics: z.record(z.string(), z.unknown()),
      head: z.string(), graph: z.string().nullable(), seq: z.number()
    })
  ),
  activations: z.array(z.object({ model_id: z.string().uuid(), target: z.string() })),
  thresholds: z.array(z.object({ model_id: z.string().uuid(), thresholds: z.record(z.string(), z.unknown()) }))
})
type Bundle = z.infer<typeof bundleSchema>

export interface BundleCounts {
  readonly decisions: number
  readonly models: number
  readonly activations: number
  readonly thresholds: number
  readonly conflicts: number
}

/** Writes the bundle of this desktop's team state; `since` (ISO date) limits the decisions to later ones. */
export function exportBundle(db: Db, file: string, since?: string): BundleCounts {
  assignTeamIds(db)
  db.transaction(() => {
    const add = db.prepare('INSERT OR IGNORE INTO team_models (model_id, team_id) VALUES (?, ?)')
    for (const h of listHeads(db)) add.run(h.summary.id, randomUUID())
  })()
  const decisions = (
    db
      .prepare(
        `SELECT tr.team_id AS id, t.external_id, r.target, r.action, r.predicted, r.from_value, r.to_value, u.team_id AS undoes, r.batch_id,
                r.at AS decided_at, r.who AS author, tr.seq
         FROM team_reviews tr JOIN reviews r ON r.id = tr.review_id JOIN tickets t ON t.id = r.ticket_id
         LEFT JOIN team_reviews u ON u.review_id = r.undoes
         WHERE tr.superseded_by IS NULL AND (? IS NULL OR r.at >= ?) ORDER BY r.id`
      )
      .all(since ?? null, since ?? null) as (Omit<Bundle['decisions'][number], 'seq'> & { seq: number | null })[]
  ).map((d) => ({ ...d, seq: d.seq ?? Date.parse(d.decided_at) }))
  const teamIdOf = db.prepare('SELECT team_id, seq FROM team_models WHERE model_id = ?')
  const models = listHeads(db).map((h) => {
    const head = getHead(db, h.summary.id)
    const mark = teamIdOf.get(h.summary.id) as { team_id: string; seq: number | null }
    return {
      id: mark.team_id,
      target: h.summary.target,
      params: teamParams(db, head.params) as unknown as Record<string, unknown>,
      metrics: h.summary.metrics as unknown as Record<string, unknown>,
      head: readFileSync(head.file).toString('base64'),
      graph: head.graph ? readFileSync(head.graph.path).toString('base64') : null,
      seq: mark.seq ?? Date.parse(h.summary.createdAt)
    }
  })
  const targets = [...new Set(listHeads(db).map((h) => h.summary.target))]
  const activations = targets.flatMap((target) => {
    const active = activeStoredHead(db, target)
    return active ? [{ model_id: (teamIdOf.get(active.summary.id) as { team_id: string }).team_id, target }] : []
  })
  const thresholds = listHeads(db).map((h) => ({
    model_id: (teamIdOf.get(h.summary.id) as { team_id: string }).team_id,
    thresholds: h.params.thresholds as unknown as Record<string, unknown>
  }))
  const bundle: Bundle = { format: FORMAT, version: 1, createdAt: new Date().toISOString(), since: since ?? null, decisions, models, activations, thresholds }
  writeFileAtomic(file, Buffer.from(JSON.stringify(bundle)))
  return { decisions: decisions.length, models: models.length, activations: activations.length, thresholds: thresholds.length, conflicts: 0 }
}

/** Applies a bundle in one transaction (files first): all of it or, after a crash, none of it; again, nothing new. */
export function importBundle(db: Db, dbPath: string, file: string): BundleCounts {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new EngineError('BAD_REQUEST', `${file} is not a team bundle: ${(err as Error).message}`)
  }
  const parsed = bundleSchema.safeParse(raw)
  if (!parsed.success) throw new EngineError('BAD_REQUEST', `${file} is not a team bundle this app can read: ${z.prettifyError(parsed.error).split('\n')[0]}`)
  const b = parsed.data
  const dir = headsDir(dbPath)
  const files = new Map(b.models.map((m) => [m.id, storeModelFiles(dir, { target: m.target, head: Buffer.from(m.head, 'base64'), graph: m.graph ? Buffer.from(m.graph, 'base64') : null })]))
  const counts = { decisions: 0, models: 0, activations: 0, thresholds: 0, conflicts: 0 }
  db.transaction(() => {
    for (const m of b.models) {
      if (applyTeamModel(db, { ...m, seq: String(m.seq) } as unknown as TeamModel, files.get(m.id)!)) counts.models++
    }
    for (const a of b.activations) if (applyActivation(db, a)) counts.activations++
    for (const t of b.thresholds) if (applyThresholds(db, t as unknown as Parameters<typeof applyThresholds>[1])) counts.thresholds++
    for (const d of [...b.decisions].sort((x, y) => x.seq - y.seq)) {
      const outcome = applyTeamDecision(db, { ...d, seq: String(d.seq) } as TeamDecision)
      if (outcome !== 'known') counts.decisions++
      if (outcome === 'conflict') counts.conflicts++
    }
  })()
  return counts
}
