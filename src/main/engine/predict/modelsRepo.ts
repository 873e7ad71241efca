// Trained heads in the models table: one row per version, at most one active per target. The head's
// weights live in a file beside the database; the row keeps its checksum, metrics and thresholds.
import type { HeadMetrics, ModelSelectionView, ModelSummary, ReviewThresholdSet, SameDataComparison } from '../../../shared/models.ts'
import { EngineError } from '../../../shared/errors.ts'
import { withFloor } from '../learn/thresholdFloor.ts'
import type { Db } from '../store/database.ts'

export interface HeadParams {
  readonly embedder: string | null
  readonly classes: readonly string[]
  readonly trainingRows: number
  readonly thresholds: ReviewThresholdSet
  /** Validation outcomes, kept so that thresholds can be re-derived for another precision. */
  readonly validation: { readonly truth: readonly number[]; readonly predicted: readonly number[]; readonly confidence: readonly number[]; readonly ticketIds: readonly number[] }
  readonly training: Readonly<Record<string, unknown>>
  readonly comparedWith?: SameDataComparison
  /**
   * Set on a version pulled from the team or a team file: the head file names tickets (its neighbours, its
   * validation tickets' neighbours) by the row ids of the desktop that trained it, which are other tickets here.
   */
  readonly foreignTicketIds?: true
}

interface ModelRow {
  id: number
  name: string
  target: string
  version: number
  sha256: string
  files: string
  params: string
  metrics: string
  active: number
  created_at: string
}

export interface StoredHead {
  readonly summary: ModelSummary
  readonly params: HeadParams
  readonly file: string
  /** The linear head as an ONNX graph that onnxruntime runs (absent for heads trained before it existed). */
  readonly graph?: { readonly path: string; readonly sha256: string }
}

interface StoredFile {
  path: string
  bytes: number
  role?: 'head' | 'graph'
  sha256?: string
}

function toStored(r: ModelRow): StoredHead {
  const params = JSON.parse(r.params) as HeadParams
  const files = JSON.parse(r.files) as StoredFile[]
  const graph = files.find((f) => f.role === 'graph')
  return {
    file: files[0]!.path,
    ...(graph?.sha256 ? { graph: { path: graph.path, sha256: graph.sha256 } } : {}),
    params,
    summary: {
      id: r.id,
      target: r.target,
      version: r.version,
      active: r.active === 1,
      createdAt: r.created_at,
      embedder: params.embedder,
      classes: params.classes,
      trainingRows: params.trainingRows,
      metrics: JSON.parse(r.metrics) as HeadMetrics,
      // In force, floor included: also how heads stored before the floor existed are read.
      thresholds: withFloor(params.thresholds),
      sha256: r.sha256,
      ...(params.comparedWith ? { comparedWith: params.comparedWith } : {}),
      ...(params.training['selection'] ? { selection: params.training['selection'] as ModelSelectionView } : {}),
      ...(params.training['update'] ? { update: params.training['update'] as NonNullable<ModelSummary['update']> } : {})
    }
  }
}

export function listHeads(db: Db, target?: string): StoredHead[] {
  const rows = target
    ? db.prepare<[string], ModelRow>("SELECT * FROM models WHERE kind = 'head' AND target = ? ORDER BY version DESC").all(target)
    : db.prepare<[], ModelRow>("SELECT * FROM models WHERE kind = 'head' ORDER BY target, version DESC").all()
  return rows.map(toStored)
}

export function getHead(db: Db, modelId: number): StoredHead {
  const row = db.prepare<[number], ModelRow>("SELECT * FROM models WHERE kind = 'head' AND id = ?").get(modelId)
  if (!row) throw new EngineError('NOT_FOUND', `Model ${modelId} does not exist.`, { modelId })
  return toStored(row)
}

export function activeStoredHead(db: Db, target: string): StoredHead | undefined {
  const row = db.prepare<[string], ModelRow>("SELECT * FROM models WHERE kind = 'head' AND target = ? AND active = 1").get(target)
  return row ? toStored(row) : undefined
}

export function nextVersion(db: Db, target: string): number {
  const row = db.prepare("SELECT MAX(version) AS v FROM models WHERE kind = 'head' AND target = ?").get(target) as { v: number | null }
  return (row.v ?? 0) + 1
}

export function insertHead(
  db: Db,
  h: {
    target: string
    version: number
    sha256: string
    file: string
    bytes: number
    graph?: { path: string; bytes: number; sha256: string }
    params: HeadParams
    metrics: HeadMetrics
  }
): number {
  const files: StoredFile[] = [{ path: h.file, bytes: h.bytes, role: 'head' }]
  if (h.graph) files.push({ ...h.graph, role: 'graph' })
  return Number(
    db
      .prepare(
        `INSERT INTO models (kind, name, target, version, sha256, files, params, metrics, active, created_at)
         VALUES ('head', ?, ?, ?, ?, ?, ?, ?, 0, ?)`
      )
      .run(`head-${h.target}`, h.target, h.version, h.sha256, JSON.stringify(files),
        JSON.stringify(h.params), JSON.stringify(h.metrics), new Date().toISOString()).lastInsertRowid
  )
}

/** Keeps how a new head did against the then-active one on the same fresh tickets, for the Evaluation page. */
export function recordComparison(db: Db, modelId: number, comparedWith: SameDataComparison): void {
  db.prepare("UPDATE models SET params = json_set(params, '$.comparedWith', json(?)) WHERE id = ? AND kind = 'head'").run(JSON.stringify(comparedWith), modelId)
}

/** One active head per target: activating a version deactivates the others in the same transaction. */
export function activateHead(db: Db, modelId: number): StoredHead {
  const head = getHead(db, modelId)
  db.transaction(() => {
    db.prepare("UPDATE models SET active = 0 WHERE kind = 'head' AND target = ?").run(head.summary.target)
    db.prepare('UPDATE models SET active = 1 WHERE id = ?').run(modelId)
  })()
  return getHead(db, modelId)
}

export function updateThresholds(db: Db, modelId: number, thresholds: HeadParams['thresholds']): StoredHead {
  const head = getHead(db, modelId)
  db.prepare('UPDATE models SET params = ? WHERE id = ?').run(JSON.stringify({ ...head.params, thresholds }), modelId)
  return getHead(db, modelId)
}
