// Training a head for one label target inside the app: gather the labelled tickets (imported history and
// review decisions), embed what is missing, train and calibrate, store the head as a versioned file,
// decide whether it replaces the active one (only when better on the same held-out tickets), and
// predict every ticket with the active head.
import type { JobProgress } from '../../../shared/domain.ts'
import type { HeadMetrics, TrainSummary } from '../../../shared/models.ts'
import { EngineError } from '../../../shared/errors.ts'
import { coverageAtPrecision, evaluatePredictions, rowArgmax } from '../evaluate/metrics.ts'
import { headToOnnx } from '../learn/headOnnx.ts'
import { floorDerived } from '../learn/thresholdFloor.ts'
import { TrainingError, predictProbabilities, type TrainedHead, type WarmStart } from '../learn/trainHead.ts'
import { trainInWorker } from '../learn/trainWorker.ts'
import { TFIDF_EMBEDDER } from '../similar/hashedTfidf.ts'
import { indexTickets } from '../similar/similarService.ts'
import { activeEmbedder } from '../similar/similarState.ts'
import type { Db } from '../store/database.ts'
import { readSettings } from '../store/settingsRepo.ts'
import { loadHeadFile, storeHeadFile } from './headFile.ts'
import { fileStem, storeByContent } from './modelFileStore.ts'
import { activateHead, activeStoredHead, getHead, insertHead, nextVersion, recordComparison, type HeadParams } from './modelsRepo.ts'
import { predictAll } from './predictTickets.ts'
import { ticketsWithLabels, vectorsOf, type TicketBatch } from './ticketFeatures.ts'

export type TrainStage = NonNullable<JobProgress['phase']>

export interface TrainOptions {
  readonly target: string
  /** 'none' trains on the built-in featuriser only; a model's name, with that model; absent, with the active embedder. */
  readonly embedder?: string | undefined
  readonly headsDir: string
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((stage: TrainStage, fraction: number) => void) | undefined
}

/** Fewer freshly labelled held-out tickets than this cannot tell two heads apart. */
const MIN_FRESH = 30

export function headMetrics(truth: Int32Array, probs: ArrayLike<number>, classes: readonly string[], method: HeadMetrics['validationMethod']): HeadMetrics {
  const report = evaluatePredictions(Array.from(truth), probs, classes)
  const C = classes.length
  const correct: boolean[] = []
  const confidence = new Float32Array(truth.length)
  for (let r = 0; r < truth.length; r++) {
    const best = rowArgmax(probs, r, C)
    correct.push(best === truth[r])
    confidence[r] = probs[r * C + best]!
  }
  return {
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    ece: report.ece,
    validationRows: truth.length,
    validationMethod: method,
    coverageAt90: coverageAtPrecision(correct, confidence, 0.9).coverage
  }
}

export async function trainTarget(db: Db, opts: TrainOptions): Promise<TrainSummary> {
  const data = ticketsWithLabels(db, opts.target)
  if (!data.labels.some((l) => l)) {
    throw new EngineError('BAD_REQUEST', `No ticket has a value for "${opts.target}": import an export with that column mapped as a label target, or review some tickets first.`)
  }
  // The embedder asked for (any installed one), else the active one; the hashed TF-IDF fallback adds
  // nothing to the head's own TF-IDF features, so a store without a model trains on those alone.
  let embedderName: string | null = null
  if (opts.embedder && opts.embedder !== 'none' && opts.embedder !== TFIDF_EMBEDDER) embedderName = opts.embedder
  else if (opts.embedder === undefined) {
    const active = await activeEmbedder(db)
    if (active.name !== TFIDF_EMBEDDER) embedderName = active.name
  }
  const { head, vectors } = await fitHead(db, opts, data, embedderName, TRAINING_WORDS)
  return storeAndPromote(db, opts, head, data, vectors)
}

/** How a training and an update name themselves in their errors. */
export interface FitWords {
  /** "Cannot train …" */
  readonly verb: string
  /** "Training … was cancelled" */
  readonly doing: string
  readonly cancelledWhileEmbedding: string
}

const TRAINING_WORDS: FitWords = { verb: 'train', doing: 'Training', cancelledWhileEmbedding: 'Training was cancelled while embedding tickets.' }

/**
 * Embeds the tickets that lack `embedder`'s vectors (the index job) and fits a head in a worker thread (the
 * optimiser is a synchronous loop of seconds to minutes), from `warm` for an update; the fit's errors and
 * cancellation come back as the engine's errors in the caller's words.
 */
export async function fitHead(
  db: Db,
  opts: Pick<TrainOptions, 'target' | 'signal' | 'onProgress'>,
  data: TicketBatch,
  embedder: string | null,
  words: FitWords,
  warm?: WarmStart
): Promise<{ head: TrainedHead; vectors: { vectors: Float32Array; dim: number } | undefined }> {
  const progress = opts.onProgress ?? (() => {})
  let vectors: { vectors: Float32Array; dim: number } | undefined
  if (embedder) {
    progress('embedding', 0)
    const indexed = await indexTickets(db, undefined, { embedder, signal: opts.signal, onProgress: (p) => progress('embedding', p.percent / 100) })
    if (indexed.cancelled) throw new EngineError('BAD_REQUEST', words.cancelledWhileEmbedding)
    vectors = vectorsOf(db, embedder, data.ids)
  }
  try {
    const head = await trainInWorker(
      {
        texts: data.texts,
        labels: data.labels,
        dates: data.dates,
        ids: data.ids,
        ...(vectors ? { embeddings: vectors.vectors, embeddingDim: vectors.dim, embedder } : {})
      },
      {},
      { signal: opts.signal, onProgress: (p) => progress(p.stage, p.fraction) },
      warm
    )
    return { head, vectors }
  } catch (err) {
    if (err instanceof TrainingError) throw new EngineError('BAD_REQUEST', `Cannot ${words.verb} "${opts.target}": ${err.message}.`, { reason: err.code })
    if (err instanceof DOMException && err.name === 'AbortError') throw new EngineError('BAD_REQUEST', `${words.doing} "${opts.target}" was cancelled; the active model is unchanged.`)
    throw err
  }
}

/**
 * Stores a trained (or updated) head as the target's next version, decides whether it replaces the active
 * one (only when better on held-out tickets: `sameData` when the caller measured both on the same ones,
 * else on fresh tickets or each one's own), and predicts every ticket with the active head.
 */
export async function storeAndPromote(
  db: Db,
  opts: Pick<TrainOptions, 'target' | 'headsDir' | 'onProgress'>,
  head: TrainedHead,
  data: TicketBatch,
  vectors: { vectors: Float32Array; dim: number } | undefined,
  sameData?: { previous: HeadMetrics; current: HeadMetrics } | null
): Promise<TrainSummary> {
  const progress = opts.onProgress ?? (() => {})
  const version = nextVersion(db, opts.target)
  // Named by content, not by target and version: another database in the same folder trains its own
  // "queue v1", and the models row keeps whichever path it was given (older rows keep their old names).
  const saved = storeHeadFile(opts.headsDir, fileStem(opts.target), head)
  const file = saved.path
  // The linear head as an ONNX graph next to it: what predictions run in onnxruntime.
  const graph = storeByContent(opts.headsDir, fileStem(opts.target), 'onnx', headToOnnx(head))
  const metrics: HeadMetrics = {
    accuracy: head.validation.accuracy,
    macroF1: head.validation.macroF1,
    ece: head.validation.ece,
    validationRows: head.validation.rows,
    validationMethod: head.validation.method,
    coverageAt90: head.thresholds.globalCoverage
  }
  const params: HeadParams = {
    embedder: head.embedder,
    classes: head.classes,
    trainingRows: head.trainingRows,
    thresholds: floorDerived(head.thresholds.global, Object.fromEntries(Object.entries(head.thresholds.perClass).map(([k, v]) => [k, v.threshold]))),
    validation: {
      truth: Array.from(head.validationOutcomes.truth),
      predicted: Array.from(head.validationOutcomes.predicted),
      confidence: Array.from(head.validationOutcomes.confidence, (c) => Math.round(c * 1e6) / 1e6),
      ticketIds: Array.from(head.validationIndex, (r) => data.ids[r]!)
    },
    training: {
      ...head.params,
      tfidf: undefined,
      blend: head.blend,
      temperature: head.temperature,
      validation: head.validation,
      ...(head.selection ? { selection: head.selection } : {}),
      ...(head.update ? { update: head.update } : {}),
      ...(head.timings ? { seconds: Object.values(head.timings).reduce((a, b) => a + b, 0) } : {})
    }
  }
  const modelId = insertHead(db, { target: opts.target, version, sha256: saved.sha256, file, bytes: saved.bytes, graph, params, metrics })

  const previous = activeStoredHead(db, opts.target)
  const settings = readSettings(db)
  let previousOnSameData: HeadMetrics | null = null
  let activated = false
  let activation: string
  if (!previous) {
    activated = true
    activation = 'activated: the first model for this target'
  } else {
    const fresh = sameData ?? (await compareOnFreshTickets(db, previous.summary.id, head, data, vectors))
    previousOnSameData = fresh?.previous ?? null
    if (fresh) {
      recordComparison(db, modelId, {
        modelId: previous.summary.id,
        version: previous.summary.version,
        tickets: fresh.current.validationRows,
        mine: fresh.current,
        theirs: fresh.previous
      })
    }
    const mine = fresh?.current.accuracy ?? metrics.accuracy
    const theirs = fresh?.previous.accuracy ?? previous.summary.metrics.accuracy
    const basis = sameData
      ? `on the same ${sameData.current.validationRows} held-out tickets`
      : fresh
      ? `on the same ${fresh.current.validationRows} held-out tickets labelled since version ${previous.summary.version}`
      : `on each model's own held-out tickets (fewer than ${MIN_FRESH} tickets were labelled since version ${previous.summary.version})`
    if (mine > theirs) {
      activated = settings.autoActivate
      activation = `better ${basis}: accuracy ${fmt(mine)} vs ${fmt(theirs)}` + (activated ? '; activated' : '; waiting for a lead to activate it')
    } else {
      activation = `not activated: version ${previous.summary.version} is as good or better ${basis} (accuracy ${fmt(theirs)} vs ${fmt(mine)})`
    }
  }
  if (activated) activateHead(db, modelId)
  progress('predicting', 0)
  const active = activeStoredHead(db, opts.target)!
  const { predicted, needsReview } = await predictAll(db, active, settings.reviewSampleRate, (f) => progress('predicting', f))
  return {
    model: getHead(db, modelId).summary,
    previous: previous?.summary ?? null,
    previousOnSameData,
    activated,
    activation,
    predicted,
    needsReview
  }
}

/**
 * The active head scored on tickets neither model trained on: the new head's held-out tickets whose label
 * arrived after the old head was made (the old head was fitted on everything labelled before). Null when
 * fewer than MIN_FRESH such tickets exist: then the comparison falls back to each head's own validation.
 */
async function compareOnFreshTickets(
  db: Db,
  previousId: number,
  fresh: TrainedHead,
  data: TicketBatch,
  vectors: { vectors: Float32Array; dim: number } | undefined
): Promise<{ previous: HeadMetrics; current: HeadMetrics } | null> {
  const stored = getHead(db, previousId)
  const old = loadHeadFile<TrainedHead>(stored.file, stored.summary.sha256)
  const oldClass = new Map(old.classes.map((c, i) => [c, i]))
  const positions: number[] = []
  fresh.validationIndex.forEach((r, i) => {
    const at = data.labelAt[r]
    if (at && at > stored.summary.createdAt && oldClass.has(data.labels[r]!)) positions.push(i)
  })
  if (positions.length < MIN_FRESH) return null
  const rows = positions.map((i) => fresh.validationIndex[i]!)
  let embeddings: Float32Array | undefined
  if (old.space.embeddingDim > 0) {
    if (!vectors || vectors.dim !== old.space.embeddingDim) return null
    embeddings = new Float32Array(rows.length * vectors.dim)
    rows.forEach((r, i) => embeddings!.set(vectors.vectors.subarray(r * vectors.dim, (r + 1) * vectors.dim), i * vectors.dim))
  }
  const probs = await predictProbabilities(old, rows.map((r) => data.texts[r]!), embeddings)
  const previous = headMetrics(Int32Array.from(rows, (r) => oldClass.get(data.labels[r]!)!), probs, old.classes, fresh.validation.method)
  const o = fresh.validationOutcomes
  const C = fresh.classes.length
  // The new head's calibrated outcome on the same tickets, as a one-hot-free probability stand-in.
  const currentProbs = new Float32Array(positions.length * C)
  positions.forEach((i, k) => {
    const p = o.confidence[i]!
    for (let c = 0; c < C; c++) currentProbs[k * C + c] = c === o.predicted[i] ? p : (1 - p) / Math.max(1, C - 1)
  })
  const current = headMetrics(Int32Array.from(positions, (i) => o.truth[i]!), currentProbs, fresh.classes, fresh.validation.method)
  return { previous, current }
}

function fmt(x: number): string {
  return x.toFixed(3)
}
