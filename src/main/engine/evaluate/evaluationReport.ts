// The evaluation dashboard's figures, from the same metrics module as `triage eval`. Two sources of
// truth: the active model's held-out split (calibrated probabilities kept from training), and the
// decisions leads made in review (what the model said vs what the lead chose).
import type { ConfusionCellTickets, EvaluationReportView, EvaluationSource, ReviewAccuracyWeek } from '../../../shared/evaluation.ts'
import { EngineError } from '../../../shared/errors.ts'
import { activeStoredHead, getHead, type StoredHead } from '../predict/modelsRepo.ts'
import { headOf } from '../predict/predictTickets.ts'
import type { Db } from '../store/database.ts'
import { confusionMatrix, evaluatePredictions, macroF1, meetsThreshold, perClassMetrics, weightedF1, accuracy } from './metrics.ts'

interface LabelledSet {
  readonly description: string
  readonly ticketIds: readonly number[]
  readonly truth: number[]
  /** Row-major n × classes calibrated probabilities, when the source has them. */
  readonly probabilities: Float32Array | null
  readonly predicted: number[]
  readonly confidence: number[]
}

function pickModel(db: Db, target: string, modelId?: number): StoredHead | undefined {
  if (modelId !== undefined) {
    const h = getHead(db, modelId)
    if (h.summary.target !== target) throw new EngineError('BAD_REQUEST', `Model ${modelId} predicts ${h.summary.target}, not ${target}.`)
    return h
  }
  return activeStoredHead(db, target)
}

function holdoutSet(db: Db, stored: StoredHead): LabelledSet {
  const head = headOf(db, stored)
  const o = head.validationOutcomes
  return {
    description: `${o.truth.length.toLocaleString('en-US')} held-out tickets of ${stored.summary.target} v${stored.summary.version} (${head.validation.method} split)`,
    ticketIds: stored.params.validation.ticketIds ?? [],
    truth: Array.from(o.truth),
    probabilities: o.probabilities ?? null,
    predicted: Array.from(o.predicted),
    confidence: Array.from(o.confidence)
  }
}

/** Decisions that stand (not undone) on tickets this model predicted; a label the model never saw is a miss. */
function reviewSet(db: Db, stored: StoredHead): LabelledSet {
  const classes = stored.summary.classes
  const index = new Map(classes.map((c, i) => [c, i]))
  const rows = db
    .prepare(
      `SELECT r.ticket_id, r.predicted, r.to_value, p.confidence FROM reviews r
       LEFT JOIN predictions p ON p.ticket_id = r.ticket_id AND p.model_id = r.model_id
       WHERE r.model_id = ? AND r.action IN ('accept', 'correct') AND r.undone = 0 AND r.predicted IS NOT NULL ORDER BY r.id`
    )
    .all(stored.summary.id) as { ticket_id: number; predicted: string; to_value: string; confidence: number | null }[]
  const known = rows.filter((r) => index.has(r.to_value) && index.has(r.predicted))
  return {
    description: `${known.length.toLocaleString('en-US')} tickets reviewed by leads for ${stored.summary.target} v${stored.summary.version}` +
      (known.length < rows.length ? ` (${rows.length - known.length} decisions chose a queue the model does not know)` : ''),
    ticketIds: known.map((r) => r.ticket_id),
    truth: known.map((r) => index.get(r.to_value)!),
    probabilities: null,
    predicted: known.map((r) => index.get(r.predicted)!),
    confidence: known.map((r) => r.confidence ?? 0)
  }
}

function labelledSet(db: Db, stored: StoredHead, source: EvaluationSource): LabelledSet {
  return source === 'holdout' ? holdoutSet(db, stored) : reviewSet(db, stored)
}

/** Null when the target has no model yet: the dashboard shows an empty state, never NaN. */
export function evaluationReport(db: Db, target: string, source: EvaluationSource, modelId?: number): EvaluationReportView | null {
  const stored = pickModel(db, target, modelId)
  if (!stored) return null
  const set = labelledSet(db, stored, source)
  const classes = stored.summary.classes
  const thresholds = stored.summary.thresholds
  const full = set.probabilities ? evaluatePredictions(set.truth, set.probabilities, classes) : null
  const perClass = full?.perClass ?? perClassMetrics(set.truth, set.predicted, classes)
  let flagged = 0
  const routed = classes.map((label, c) => {
    const threshold = thresholds.perClass[label] ?? thresholds.global
    let predictedAs = 0
    let kept = 0
    let right = 0
    set.predicted.forEach((p, i) => {
      if (p !== c) return
      predictedAs++
      if (!meetsThreshold(set.confidence[i]!, threshold)) flagged++
      else {
        kept++
        if (set.truth[i] === c) right++
      }
    })
    return { threshold, routedCoverage: predictedAs ? kept / predictedAs : 0, routedPrecision: kept ? right / kept : 0 }
  })
  const topK = (k: number): number | null => {
    if (!set.probabilities || set.truth.length === 0) return null
    let hit = 0
    const C = classes.length
    set.truth.forEach((t, i) => {
      const p = set.probabilities!.subarray(i * C, (i + 1) * C)
      let higher = 0
      for (let c = 0; c < C; c++) if (p[c]! > p[t]!) higher++
      if (higher < k) hit++
    })
    return hit / set.truth.length
  }
  return {
    source,
    description: set.description,
    target,
    modelId: stored.summary.id,
    modelVersion: stored.summary.version,
    n: set.truth.length,
    classes,
    accuracy: full?.accuracy ?? accuracy(set.truth, set.predicted),
    macroF1: full?.macroF1 ?? macroF1(perClass),
    weightedF1: full?.weightedF1 ?? weightedF1(perClass),
    top1: full?.accuracy ?? accuracy(set.truth, set.predicted),
    top2: topK(2),
    top3: topK(3),
    ece: full?.ece ?? null,
    meanConfidence: full?.meanConfidence ?? null,
    perClass: perClass.map((m, c) => ({ ...m, ...routed[c]! })),
    confusion: full?.confusion ?? confusionMatrix(set.truth, set.predicted, classes.length),
    reliability: full?.reliability ?? [],
    curve: full?.curve ?? [],
    threshold: thresholds.global,
    reviewRate: set.truth.length ? flagged / set.truth.length : 0,
    coverageAtPrecision: full?.coverageAtPrecision ?? {}
  }
}

export function confusionCell(db: Db, target: string, source: EvaluationSource, truth: string, predicted: string, limit: number, modelId?: number): ConfusionCellTickets {
  const stored = pickModel(db, target, modelId)
  if (!stored) throw new EngineError('NOT_FOUND', `There is no model for ${target} yet; train one first.`)
  const set = labelledSet(db, stored, source)
  const t = stored.summary.classes.indexOf(truth)
  const p = stored.summary.classes.indexOf(predicted)
  const picked: { id: number; confidence: number }[] = []
  set.truth.forEach((x, i) => {
    if (x === t && set.predicted[i] === p && set.ticketIds[i] !== undefined) picked.push({ id: set.ticketIds[i]!, confidence: set.confidence[i]! })
  })
  const get = db.prepare('SELECT id, external_id, subject, substr(body, 1, 200) AS snippet FROM tickets WHERE id = ?')
  const tickets = picked
    .slice(0, limit)
    .map((x) => ({ row: get.get(x.id) as { id: number; external_id: string; subject: string; snippet: string } | undefined, confidence: x.confidence }))
    .filter((x) => x.row !== undefined)
    .map((x) => ({ id: x.row!.id, externalId: x.row!.external_id, subject: x.row!.subject, snippet: x.row!.snippet, confidence: x.confidence }))
  return { total: picked.length, tickets }
}

/** Accuracy of the active model on what leads checked, by ISO week of the decision. */
export function reviewAccuracyByWeek(db: Db, target: string): ReviewAccuracyWeek[] {
  const stored = activeStoredHead(db, target)
  if (!stored) return []
  const rows = db
    .prepare(
      `SELECT date(at, 'weekday 0', '-6 days') AS week, COUNT(*) AS n, SUM(predicted = to_value) AS ok FROM reviews
       WHERE model_id = ? AND action IN ('accept', 'correct') AND undone = 0 AND predicted IS NOT NULL GROUP BY week ORDER BY week`
    )
    .all(stored.summary.id) as { week: string; n: number; ok: number }[]
  return rows.map((r) => ({ start: r.week, reviewed: r.n, accuracy: r.ok / r.n }))
}
