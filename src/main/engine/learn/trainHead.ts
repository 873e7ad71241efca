// Trains a queue head from labelled tickets: TF-IDF ⊕ embedding → class-weighted softmax regression,
// blended with a vote of the nearest labelled tickets, calibrated by temperature on a validation split.
import { evaluatePredictions, rowArgmax } from '../evaluate/metrics.ts'
import { DEFAULT_TFIDF_PARAMS, fitTfidfFromCounts, type TfidfParams } from '../inference/tfidf.ts'
import { applyTemperature, blendScores, chooseBlend, fitBiasCorrection, neighbourVote } from './calibration.ts'
import { buildFeatureRows, concatRows, featureRowsFromCounts, featureSpace, pickRows, type FeatureSpace } from './featureRows.ts'
import { countFeaturesInParallel } from './parallelFeatures.ts'
import { consolidate, curvatureDiagonal } from './consolidation.ts'
import { nearestNeighbours, type Neighbours } from './neighbourSearch.ts'
import type { LbfgsMemory } from './lbfgs.ts'
import { helperWorthwhile, startObjectiveHelper } from './objectiveHelper.ts'
import { rescaleDense, rescaleDenseWeights, scoreOnValidation, type GridPoint, type ModelSelection, type SelectionPoint } from './modelSelection.ts'
import { classWeights, fitSoftmaxRegression, type FeatureRows, type ObjectiveHelper, type FitReport, type ClassWeighting, linearLogits, meanCrossEntropy, softmaxRows, sumWeights, type LinearHead } from './softmaxRegression.ts'
import { deriveThresholds, type ReviewThresholds } from './thresholds.ts'
import { splitForValidation } from './trainingSplit.ts'

export interface TrainingInput {
  texts: string[]
  /** One per text; empty or missing labels are skipped (unlabelled tickets). */
  labels: Array<string | null | undefined>
  /** Epoch milliseconds per text; when given, validation is the newest share instead of stratified. */
  dates?: Array<number | null>
  /** Row-major n × embeddingDim unit vectors from the active embedder, or absent for TF-IDF only. */
  embeddings?: Float32Array
  embeddingDim?: number
  embedder?: string | null
  /** Ticket ids per text: kept beside the neighbour vectors so a reviewed label can replace a neighbour's label at predict time. */
  ids?: number[]
}

/**
 * An update of a trained head ("Update model"): the same classes and feature space, the same held-out
 * tickets, the fit warm-started from its weights with few iterations, no grid search.
 */
export interface WarmStart {
  readonly head: TrainedHead
  /** Indices into the input of the tickets held out for validation (the previous version's, where still labelled). */
  readonly validationRows: readonly number[]
  /**
   * Ids of every ticket the previous version held out (decided ones included): the tickets its fit did not
   * learn. With the input's ids, what lets an update learn by consolidation.
   */
  readonly formerValidationIds?: readonly number[]
}

export interface TrainingParams {
  l2: number
  maxIterations: number
  validationShare: number
  k: number
  embeddingScale: number
  targetPrecision: number
  seed: number
  /** After choosing blend and temperature on validation, refit the head on every labelled row. */
  refitOnAll: boolean
  maxClasses: number
  classWeighting: ClassWeighting
  tfidf: TfidfParams
  /** 2 lets a helper thread take half of each objective evaluation on big problems; 1 never does. */
  threads: number
  /** Stop the fit when the validation loss stops improving (checked every 5 iterations), keeping the best. */
  earlyStopping: boolean
  /** Relative validation-loss gain per 5 iterations below which the fit counts as converged (2 checks in a row). */
  earlyStoppingGain: number
  /** Diagonal preconditioning of L-BFGS by feature scale. */
  precondition: boolean
  /** Iterations of the warm-started refit on all rows (it starts from the fit and its curvature). */
  refitIterations: number
  /** l2 candidates chosen from on validation; empty: `l2` as given. */
  l2Grid: number[]
  /** Embedding-block scales (next to the unit-norm TF-IDF block) chosen from; empty: `embeddingScale` as given. */
  embeddingScaleGrid: number[]
  /**
   * What the grid search's warm-started points may spend in all, in stored feature values passed over
   * (evaluations × (sparse values + rows × embedding width)): 2e8 is about one point on it-service's 32k
   * training tickets (≈ 10 s on 2 cores) and the whole search on a few thousand tickets.
   */
  gridWork: number
  /** Most iterations of an update's warm-started fit. */
  updateIterations: number
  /**
   * An update learns the decisions by consolidation (consolidation.ts: the decided rows against the
   * previous fit's curvature) where the previous version measured it; false: always the warm-started fit
   * over every row.
   */
  consolidate: boolean
  /** Most L-BFGS iterations of a consolidation (each reads the decided rows and the weights once). */
  consolidationIterations: number
  /**
   * Factor on the previous fit's curvature in a consolidation. The fit is early-stopped and confident on
   * most training tickets (p(1 − p) near 0), so its measured curvature holds the weights more loosely than
   * the tickets behind them do: at 1, twenty corrections from the review queue cost 7 of 5,740 held-out
   * tickets on it-service (bench:update), at 10 two (and the held-out check then keeps the previous weights).
   */
  consolidationStiffness: number
}

export const DEFAULT_TRAINING_PARAMS: TrainingParams = {
  l2: 1e-5,
  maxIterations: 100,
  validationShare: 0.15,
  k: 20,
  embeddingScale: 1,
  targetPrecision: 0.9,
  seed: 7,
  refitOnAll: true,
  maxClasses: 500,
  classWeighting: 'sqrt',
  tfidf: DEFAULT_TFIDF_PARAMS,
  threads: 2,
  earlyStopping: true,
  earlyStoppingGain: 0.005,
  precondition: true,
  refitIterations: 10,
  l2Grid: [1e-3, 1e-4, 1e-5, 1e-6],
  embeddingScaleGrid: [0.5, 1, 2],
  updateIterations: 3,
  consolidate: true,
  consolidationIterations: 50,
  consolidationStiffness: 10,
  gridWork: 2e8
}

export interface TrainingProgress {
  stage: 'features' | 'fit' | 'calibrate' | 'refit' | 'done'
  fraction: number
  message: string
}

export interface TrainingHooks {
  onProgress?: (p: TrainingProgress) => void
  signal?: AbortSignal
}

export type TrainingErrorCode = 'NO_LABELLED_ROWS' | 'ONE_CLASS' | 'TOO_MANY_CLASSES' | 'BAD_INPUT'

export class TrainingError extends Error {
  constructor(
    readonly code: TrainingErrorCode,
    message: string
  ) {
    super(message)
  }
}

export interface ValidationSummary {
  method: 'stratified' | 'time' | 'none'
  rows: number
  accuracy: number
  macroF1: number
  ece: number
  nll: number
  headOnlyAccuracy: number
}

export interface TrainedHead {
  formatVersion: 1
  createdAt: string
  classes: string[]
  classCounts: number[]
  embedder: string | null
  space: FeatureSpace
  linear: LinearHead
  temperature: number
  /** Per-class offsets added after the temperature (bias-corrected calibration; absent in older heads). */
  bias?: number[]
  /** sharpness: power on neighbour similarities (absent in older heads: 1). */
  blend: { weight: number; k: number; sharpness?: number }
  thresholds: ReviewThresholds
  validation: ValidationSummary
  params: TrainingParams
  trainingRows: number
  /** Which input rows were held out, and what the calibrated head said on them (for thresholds and model comparison). */
  validationIndex: Int32Array
  validationOutcomes: { truth: Int32Array; predicted: Int32Array; confidence: Float32Array; probabilities: Float32Array }
  /** Labelled vectors the vote searches; in the app they come from the embeddings table instead. */
  neighbours?: { vectors: Float32Array; labels: Int32Array; ids?: Int32Array }
  /**
   * Each validation ticket's nearest training tickets when the head was calibrated, named by ticket id
   * (or input row without ids): an update reuses them instead of searching again.
   */
  validationNeighbours?: StoredNeighbours
  /** Seconds each stage took (features, fit, neighbours, calibrate, refit): what bench:train reports. */
  timings?: Record<string, number>
  /** Iterations the fit ran, the one whose parameters it kept, and the refit's. */
  iterations?: { fit: number; best: number; refit: number; fitEvaluations: number; refitEvaluations: number }
  /** The grid of l2 and embedding scale tried on validation, and what was chosen (absent on older heads). */
  selection?: ModelSelection
  /** The validated fit's weights, before the refit on all rows: where an update's held-out fit starts. */
  fitWeights?: Float32Array
  /** The fit's objective curvature (Gauss–Newton diagonal) at fitWeights, and its sum of row weights: what an update consolidates against. */
  fitCurvature?: Float32Array
  fitWeightSum?: number
  /** Ids of decided tickets whose consolidation the held-out check turned down: the next update learns them again. */
  consolidationPending?: Int32Array
  /** Set on a head made by updating another (warmStart); `consolidated`: decided tickets it learnt by consolidation. */
  update?: { fromCreatedAt: string; skippedRows: number; fromVersion?: number; consolidated?: number }
}

function encodeLabels(input: TrainingInput, maxClasses: number, fixed?: readonly string[]): { rows: number[]; labels: Int32Array; classes: string[]; counts: number[]; skipped: number } {
  if (input.labels.length !== input.texts.length) {
    throw new TrainingError('BAD_INPUT', `${input.texts.length} texts but ${input.labels.length} labels`)
  }
  if (fixed) return encodeKnownLabels(input, fixed)
  const rows: number[] = []
  const index = new Map<string, number>()
  const raw: number[] = []
  input.labels.forEach((label, i) => {
    const value = label?.trim()
    if (!value) return
    let c = index.get(value)
    if (c === undefined) index.set(value, (c = index.size))
    rows.push(i)
    raw.push(c)
  })
  if (rows.length === 0) throw new TrainingError('NO_LABELLED_ROWS', 'no labelled tickets: every row has an empty target value')
  if (index.size < 2) {
    throw new TrainingError('ONE_CLASS', `every labelled ticket has the same value ("${[...index.keys()][0]}"): a model needs at least two queues to choose from`)
  }
  if (index.size > maxClasses) {
    throw new TrainingError(
      'TOO_MANY_CLASSES',
      `the target has ${index.size} distinct values across ${rows.length} tickets (at most ${maxClasses}): is this an identifier or free-text column rather than a queue?`
    )
  }
  // Classes sorted by name so that the same data always gives the same class order.
  const classes = [...index.keys()].sort()
  const remap = [...index.keys()].map((k) => classes.indexOf(k))
  const labels = Int32Array.from(raw, (c) => remap[c]!)
  const counts = classes.map(() => 0)
  for (const y of labels) counts[y]!++
  return { rows, labels, classes, counts, skipped: 0 }
}

/** An update keeps its head's classes: a ticket labelled with a queue the head does not know is skipped (a full training learns it). */
function encodeKnownLabels(input: TrainingInput, classes: readonly string[]): { rows: number[]; labels: Int32Array; classes: string[]; counts: number[]; skipped: number } {
  const index = new Map(classes.map((c, i) => [c, i]))
  const rows: number[] = []
  const raw: number[] = []
  let skipped = 0
  input.labels.forEach((label, i) => {
    const value = label?.trim()
    if (!value) return
    const c = index.get(value)
    if (c === undefined) {
      skipped++
      return
    }
    rows.push(i)
    raw.push(c)
  })
  if (rows.length === 0) throw new TrainingError('NO_LABELLED_ROWS', 'no labelled ticket has a queue this model knows')
  const labels = Int32Array.from(raw)
  const counts = classes.map(() => 0)
  for (const y of labels) counts[y]!++
  return { rows, labels, classes: [...classes], counts, skipped }
}

async function findNeighbours(queries: Float32Array | undefined, keys: Float32Array | undefined, keyLabels: Int32Array, dim: number, k: number): Promise<Neighbours | undefined> {
  if (!queries || !keys || dim === 0 || k === 0 || keyLabels.length === 0) return undefined
  return nearestNeighbours(queries, keys, dim, k)
}

/** Vote sharpness candidates tried on validation (1 = plain cosine weights). */
const SHARPNESS = [1, 4, 16]

/**
 * What an update learns by consolidation, as positions among the labelled rows: `gained`, the relabelled
 * training tickets first (`relabelled` of them, with the ones a turned-down consolidation left pending,
 * whose curvature is not added again), then the ones the previous fit never learnt (newly labelled, or
 * held out then and decided since), whose curvature joins the version's. Undefined
 * when the previous version cannot say (no curvature, no ticket ids, a head pulled from the team): the
 * update then fits over every row. A ticket the previous fit learnt that has no label now (an undone
 * decision) is not unlearnt: its text is not among the labelled rows; the next training forgets it.
 */
function consolidationPlan(
  warm: WarmStart,
  input: TrainingInput,
  rows: readonly number[],
  labels: Int32Array,
  train: readonly number[]
): { gained: number[]; relabelled: number } | undefined {
  const former = warm.head.neighbours
  if (!warm.head.fitCurvature || warm.head.fitWeightSum === undefined || !warm.head.fitWeights || !former?.ids || !input.ids || !warm.formerValidationIds) return undefined
  const learnt = new Map<number, number>()
  for (let i = 0; i < former.ids.length; i++) learnt.set(former.ids[i]!, former.labels[i]!)
  for (const id of warm.formerValidationIds) learnt.delete(id)
  const pending = new Set(warm.head.consolidationPending ?? [])
  const relabelled: number[] = []
  const fresh: number[] = []
  for (const p of train) {
    const id = input.ids[rows[p]!]!
    const was = learnt.get(id)
    if (pending.has(id)) relabelled.push(p)
    else if (was === undefined || was < 0) fresh.push(p)
    else if (was !== labels[p]) relabelled.push(p)
  }
  return { gained: [...relabelled, ...fresh], relabelled: relabelled.length }
}

function heldOutAccuracy(weights: Float32Array, x: FeatureRows, labels: Int32Array, C: number): number {
  const logits = linearLogits(weights, x, C)
  let right = 0
  for (let r = 0; r < x.rows; r++) if (rowArgmax(logits, r, C) === labels[r]) right++
  return x.rows > 0 ? right / x.rows : 0
}

function emptyRows(space: FeatureSpace): FeatureRows {
  return { rows: 0, dense: new Float32Array(0), denseDim: space.embeddingDim, indptr: Int32Array.of(0), indices: new Int32Array(0), values: new Float32Array(0), sparseDim: space.sparseDim }
}

/** Rows of `split.validation` (positions among the labelled rows) for an update: the previous version's held-out tickets. */
function heldOutSplit(rows: readonly number[], validationRows: readonly number[]): { train: number[]; validation: number[]; method: 'stratified' | 'time' | 'none' } {
  const held = new Set(validationRows)
  const train: number[] = []
  const validation: number[] = []
  rows.forEach((r, i) => (held.has(r) ? validation : train).push(i))
  return { train, validation, method: 'stratified' }
}

export async function trainHead(input: TrainingInput, overrides: Partial<TrainingParams> = {}, hooks: TrainingHooks = {}, warm?: WarmStart): Promise<TrainedHead> {
  const helpers: Helpers = new Map()
  try {
    return await trainWithHelpers(helpers, input, overrides, hooks, warm)
  } finally {
    // Helper threads left by a fit that threw (cancelled, bad input) end with the training.
    await Promise.all([...helpers.values()].map(async (h) => (await h)?.close()))
  }
}

type Helpers = Map<FeatureRows, Promise<ObjectiveHelper | undefined>>

async function trainWithHelpers(helpers: Helpers, input: TrainingInput, overrides: Partial<TrainingParams>, hooks: TrainingHooks, warm: WarmStart | undefined): Promise<TrainedHead> {
  const params = { ...DEFAULT_TRAINING_PARAMS, ...overrides }
  const progress = (stage: TrainingProgress['stage'], fraction: number, message: string): void => hooks.onProgress?.({ stage, fraction, message })
  const timings: Record<string, number> = {}
  let lap = performance.now()
  const endStage = (name: string): void => {
    const now = performance.now()
    timings[name] = (timings[name] ?? 0) + (now - lap) / 1000
    lap = now
  }
  const { rows, labels, classes, counts, skipped } = encodeLabels(input, params.maxClasses, warm?.head.classes)
  const C = classes.length
  const dim = input.embeddings ? (input.embeddingDim ?? 0) : 0
  if (dim > 0 && input.embeddings!.length !== input.texts.length * dim) {
    throw new TrainingError('BAD_INPUT', `embeddings hold ${input.embeddings!.length} values, expected ${input.texts.length} × ${dim}`)
  }
  if (warm && dim !== warm.head.space.embeddingDim) {
    throw new TrainingError('BAD_INPUT', `the model reads ${warm.head.space.embeddingDim}-dimensional embeddings, these are ${dim}-dimensional: train a new model instead`)
  }
  const texts = rows.map((r) => input.texts[r] ?? '')
  const vectors = pickRows(input.embeddings, dim, rows)
  const dates = input.dates ? rows.map((r) => input.dates![r] ?? null) : undefined
  const split = warm ? heldOutSplit(rows, warm.validationRows) : splitForValidation(labels, params.validationShare, params.seed, dates)
  const trainLabels = Int32Array.from(split.train, (i) => labels[i]!)
  const valLabels = Int32Array.from(split.validation, (i) => labels[i]!)

  progress('features', 0, `featurising ${split.train.length} training and ${split.validation.length} validation tickets`)
  // Every text is tokenised and hashed once (on two threads); the IDF is the training rows'.
  // An update keeps its head's feature space (vocabulary, IDF, embedding scale): its weights mean the same.
  // An update by consolidation reads only the held-out tickets and the decided ones.
  const plan = warm && params.consolidate ? consolidationPlan(warm, input, rows, labels, split.train) : undefined
  const counted = await countFeaturesInParallel(
    plan ? [...split.validation, ...plan.gained].map((p) => texts[p]!) : texts,
    warm ? warm.head.space.tfidf.params : params.tfidf,
    params.threads
  )
  const space = warm ? warm.head.space : featureSpace(fitTfidfFromCounts(counted, params.tfidf, split.train), dim, 1)
  const trainVectors = pickRows(vectors, dim, split.train)
  const valVectors = pickRows(vectors, dim, split.validation)
  const span = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i)
  const xTrain = plan ? emptyRows(space) : featureRowsFromCounts(space, counted, split.train, trainVectors, !warm)
  const xVal = featureRowsFromCounts(space, counted, plan ? span(0, split.validation.length) : split.validation, valVectors, !warm)
  const xGained = plan ? featureRowsFromCounts(space, counted, span(split.validation.length, plan.gained.length), pickRows(vectors, dim, plan.gained), false) : undefined
  const memory: LbfgsMemory = { S: [], Y: [], rho: [] }
  const iterations = { fit: 0, best: 0, refit: 0, fitEvaluations: 0, refitEvaluations: 0 }
  // On a big problem a second thread takes half the rows of every objective evaluation. It holds a copy of
  // its rows, so it is started once per set of rows and serves every grid point until they are rescaled.
  const helperFor = (x: FeatureRows, y: Int32Array, weights: Float64Array): Promise<ObjectiveHelper | undefined> => {
    let helper = helpers.get(x)
    if (!helper) {
      helper = params.threads > 1 && helperWorthwhile(x) ? startObjectiveHelper(x, y, C, weights, sumWeights(y, weights)).catch(() => undefined) : Promise.resolve(undefined)
      helpers.set(x, helper)
    }
    return helper
  }
  const dropHelper = async (x: FeatureRows): Promise<void> => {
    const helper = helpers.get(x)
    helpers.delete(x)
    await (await helper)?.close()
  }
  const fitOnce = async (
    x: typeof xTrain,
    y: Int32Array,
    stage: 'fit' | 'refit',
    how: { l2: number; maxIterations: number; warmStart?: Float32Array; earlyStopping: boolean; every?: number; keepStart?: boolean; label?: string; share?: { from: number; width: number } }
  ): Promise<LinearHead> => {
    const weights = classWeights(y, C, params.classWeighting)
    const helper = await helperFor(x, y, weights)
    const report: FitReport = { iterations: 0, bestIteration: 0 }
    try {
      const head = fitSoftmaxRegression(x, y, C, {
        l2: how.l2,
        maxIterations: how.maxIterations,
        warmStart: how.warmStart,
        memory,
        precondition: params.precondition,
        classWeights: weights,
        signal: hooks.signal,
        helper,
        earlyStopping: how.earlyStopping && params.earlyStopping && xVal.rows > 0 ? { x: xVal, labels: valLabels, every: how.every ?? 5, patience: 2, minGain: params.earlyStoppingGain, keepStart: how.keepStart ?? false } : undefined,
        // A grid point reports within its share of the fit's bar, so the bar never goes back between points.
        onIteration: (it, loss) =>
          progress(stage, (how.share?.from ?? 0) + (how.share?.width ?? 1) * Math.min(1, it / how.maxIterations), `${how.label ?? ''}iteration ${it}, loss ${loss.toFixed(4)}`)
      }, report)
      return head
    } finally {
      if (stage === 'fit') {
        iterations.fit += report.iterations
        iterations.best = report.bestIteration
        iterations.fitEvaluations += report.evaluations ?? 0
      } else Object.assign(iterations, { refit: report.iterations, refitEvaluations: report.evaluations ?? 0 })
    }
  }
  endStage('features')

  // The fit: along the grid of l2 and embedding scale (each point warm-started from the last), keeping the
  // point with the lowest validation log-loss; or, for an update, one short fit from the previous weights.
  let l2 = params.l2
  let embeddingScale = warm ? warm.head.space.embeddingScale : params.embeddingScale
  const curve: SelectionPoint[] = []
  let linear: LinearHead
  let consolidated: { curvature: Float32Array; weightSum: number; pending?: Int32Array } | undefined
  if (warm && plan && xGained) {
    progress('fit', 0, `learning ${plan.gained.length} decided tickets against the previous fit`)
    const anchor = warm.head.fitWeights ?? warm.head.linear.weights
    const weightsOfClass = classWeights(trainLabels, C, params.classWeighting)
    const weightSum = warm.head.fitWeightSum!
    const gainedLabels = Int32Array.from(plan.gained, (p) => labels[p]!)
    const result = consolidate({
      anchor,
      curvature: params.consolidationStiffness === 1 ? warm.head.fitCurvature! : Float32Array.from(warm.head.fitCurvature!, (d) => d * params.consolidationStiffness),
      C,
      gained: { x: xGained, labels: gainedLabels },
      classWeights: weightsOfClass,
      weightSum,
      maxIterations: params.consolidationIterations,
      signal: hooks.signal
    })
    // Checked on the held-out tickets: the previous weights stay when the result is worse there both in
    // tickets right and in log-loss. Either alone misleads: learning twenty corrections sharpens the head
    // a little (it-service: held-out log-loss +0.3 %) while it gets more tickets right (held-out accuracy
    // 0.8700 → 0.8720, test 0.8600 → 0.8634, 16 of the 20 decided tickets learnt; head alone, before the
    // calibration that refits the temperature to that sharpness); on a few hundred held-out tickets the
    // accuracy moves by a ticket or two either way.
    const better =
      heldOutAccuracy(result.weights, xVal, valLabels, C) >= heldOutAccuracy(anchor, xVal, valLabels, C) ||
      meanCrossEntropy(result.weights, xVal, valLabels, C) <= meanCrossEntropy(anchor, xVal, valLabels, C)
    const weights = better ? result.weights : Float32Array.from(anchor)
    linear = { classes: C, denseDim: dim, sparseDim: space.sparseDim, weights }
    Object.assign(iterations, { fit: result.iterations, best: better ? result.iterations : 0 })
    if (better) {
      // Tickets the previous fit never learnt add their curvature; relabelled ones leave it as it was.
      const added = curvatureDiagonal(weights, xGained, gainedLabels, C, weightsOfClass, weightSum, 0, plan.relabelled, plan.gained.length)
      consolidated = { curvature: Float32Array.from(warm.head.fitCurvature!, (d, i) => d + added[i]!), weightSum }
    } else {
      // Turned down: the weights learnt none of them, so the next update tries them again.
      consolidated = { curvature: warm.head.fitCurvature!, weightSum, pending: Int32Array.from(plan.gained, (p) => input.ids![rows[p]!]!) }
    }
    l2 = warm.head.params.l2
    progress('fit', 1, `learnt ${plan.gained.length} decided tickets`)
  } else if (warm) {
    linear = await fitOnce(xTrain, trainLabels, 'fit', {
      l2: warm.head.params.l2,
      maxIterations: params.updateIterations,
      warmStart: warm.head.fitWeights ?? warm.head.linear.weights,
      earlyStopping: true,
      every: 2,
      keepStart: true
    })
    l2 = warm.head.params.l2
  } else {
    const l2s = params.l2Grid.length && xVal.rows > 0 ? params.l2Grid : [params.l2]
    const scales = params.embeddingScaleGrid.length && xVal.rows > 0 && dim > 0 ? params.embeddingScaleGrid : [params.embeddingScale]
    const single = l2s.length === 1 && scales.length === 1
    let scaleNow = 1
    let best: { nll: number; linear: LinearHead; l2: number; embeddingScale: number } | undefined
    const tried = new Set<string>()
    // Work of one objective evaluation (stored values plus dense width over the rows), what the warm points
    // of the search may spend in all (params.gridWork), and a guess at one warm point's until one has run.
    const workPerEvaluation = xTrain.values.length + xTrain.rows * xTrain.denseDim
    let spent = 0
    let lastPoint = 6 * workPerEvaluation
    // The coordinate search below fits at most this many points.
    const mostPoints = new Set(l2s).size + new Set(scales).size - 1
    /** Fits one grid point, warm-started from the best point so far; true when it is the new best. */
    const tryPoint = async (point: GridPoint): Promise<boolean> => {
      const key = `${point.l2}:${point.embeddingScale}`
      if (tried.has(key)) return false
      // Past the first point, the search goes on only while the next point fits the work budget.
      if (tried.size > 0 && spent + lastPoint > params.gridWork) return false
      tried.add(key)
      const started = performance.now()
      const factor = point.embeddingScale / scaleNow
      if (factor !== 1) {
        await dropHelper(xTrain)
        rescaleDense(xTrain, factor)
        rescaleDense(xVal, factor)
        // Curvature pairs of a differently scaled problem would mislead the first steps.
        memory.S.length = memory.Y.length = memory.rho.length = 0
      }
      const warmFrom = best ? rescaleDenseWeights(best.linear.weights, dim, C, point.embeddingScale / best.embeddingScale) : undefined
      scaleNow = point.embeddingScale
      const before = iterations.fit
      const evaluationsBefore = iterations.fitEvaluations
      const fitted = await fitOnce(xTrain, trainLabels, 'fit', {
        l2: point.l2,
        maxIterations: params.maxIterations,
        warmStart: warmFrom,
        earlyStopping: true,
        // A warm-started point starts near its optimum: checked every 2 iterations, not 5.
        every: warmFrom ? 2 : 5,
        share: { from: (tried.size - 1) / mostPoints, width: 1 / mostPoints },
        label: single ? '' : `l2 ${point.l2}, embedding weight ${point.embeddingScale}: `
      })
      if (warmFrom) {
        lastPoint = (iterations.fitEvaluations - evaluationsBefore) * workPerEvaluation
        spent += lastPoint
      }
      if (single) {
        best = { nll: NaN, linear: fitted, ...point }
        return true
      }
      const valProbs = linearLogits(fitted.weights, xVal, C)
      softmaxRows(valProbs, C)
      const score = scoreOnValidation(valProbs, valLabels, C)
      curve.push({ ...point, ...score, iterations: iterations.fit - before, seconds: (performance.now() - started) / 1000 })
      if (best && !(score.nll < best.nll)) return false
      best = { nll: score.nll, linear: fitted, ...point }
      return true
    }
    // A coordinate search over the grid: from the grid values nearest the defaults, the embedding weight
    // outward (smaller, then larger) while the validation log-loss improves, then l2 likewise at that
    // weight, within a work budget: the whole search on a few thousand tickets, one warm point on 38k.
    const l2Order = [...new Set(l2s)].sort((a, b) => b - a)
    const scaleOrder = [...new Set(scales)].sort((a, b) => a - b)
    const nearest = (values: number[], to: number): number => values.reduce((bi, v, i) => (Math.abs(Math.log(v / to)) < Math.abs(Math.log(values[bi]! / to)) ? i : bi), 0)
    let scaleAt = nearest(scaleOrder, params.embeddingScale)
    let l2At = nearest(l2Order, params.l2)
    await tryPoint({ l2: l2Order[l2At]!, embeddingScale: scaleOrder[scaleAt]! })
    const walk = async (values: number[], at: number, point: (i: number) => GridPoint): Promise<number> => {
      for (const step of [-1, 1]) {
        let moved = false
        for (let i = at + step; i >= 0 && i < values.length && (await tryPoint(point(i))); i += step) {
          at = i
          moved = true
        }
        if (moved) break
      }
      return at
    }
    scaleAt = await walk(scaleOrder, scaleAt, (i) => ({ l2: l2Order[l2At]!, embeddingScale: scaleOrder[i]! }))
    l2At = await walk(l2Order, l2At, (i) => ({ l2: l2Order[i]!, embeddingScale: scaleOrder[scaleAt]! }))
    // The rows end at the chosen scale, as its weights and the stored feature space expect.
    const factor = best!.embeddingScale / scaleNow
    if (factor !== 1) await dropHelper(xTrain)
    rescaleDense(xTrain, factor)
    rescaleDense(xVal, factor)
    if (factor !== 1) memory.S.length = memory.Y.length = memory.rho.length = 0
    linear = best!.linear
    l2 = best!.l2
    embeddingScale = best!.embeddingScale
    space.embeddingScale = embeddingScale
  }
  const chosenParams: TrainingParams = { ...params, l2, embeddingScale }
  const fitWeights = linear.weights
  await dropHelper(xTrain)
  // The fit's curvature where it ended, for the updates to come (one more pass over the rows).
  let fitCurvature = consolidated
  if (!fitCurvature && !warm && xTrain.rows > 0) {
    const weightsOfClass = classWeights(trainLabels, C, params.classWeighting)
    const weightSum = sumWeights(trainLabels, weightsOfClass)
    fitCurvature = { curvature: curvatureDiagonal(fitWeights, xTrain, trainLabels, C, weightsOfClass, weightSum, l2), weightSum }
  }
  endStage('fit')

  progress('calibrate', 0, 'fitting blend weight and temperature on validation')
  const valHead = linearLogits(linear.weights, xVal, C)
  softmaxRows(valHead, C)
  endStage('calibrate')
  // Ticket ids where the caller gave them, else input rows: how neighbours are named across an update.
  const keyOf = (position: number): number => (input.ids ? input.ids[rows[position]!]! : rows[position]!)
  // An update whose version does not blend the vote needs no neighbours; one whose version stored its
  // validation tickets' neighbours reuses them (the vectors are the same; only labels moved).
  const reused = warm && warm.head.blend.weight > 0 ? reuseValidationNeighbours(warm.head.validationNeighbours, split, keyOf, params.k) : undefined
  const valNeighbours = warm && !(warm.head.blend.weight > 0) ? undefined : (reused ?? (await findNeighbours(valVectors, trainVectors, trainLabels, dim, params.k)))
  // A reused neighbour no longer among the training tickets points one past them, at a label of −1 (no vote).
  const voteLabels = reused ? Int32Array.from([...trainLabels, -1]) : trainLabels
  const validationNeighbours = reused ? warm!.head.validationNeighbours : valNeighbours ? storeValidationNeighbours(valNeighbours, split, keyOf) : undefined
  endStage('neighbours')
  let blend = { weight: 0, temperature: 1, nll: NaN, sharpness: 1 }
  let valVote: Float64Array | undefined
  if (split.validation.length > 0 && warm) {
    // An update keeps the blend (the neighbours barely change); the temperature and offsets are refitted below.
    const sharpness = warm.head.blend.sharpness ?? 1
    valVote = valNeighbours && warm.head.blend.weight > 0 ? neighbourVote(valNeighbours, voteLabels, C, sharpness) : undefined
    blend = { weight: valVote ? warm.head.blend.weight : 0, temperature: warm.head.temperature, nll: NaN, sharpness }
  } else if (split.validation.length > 0) {
    blend = { ...chooseBlend(valHead, undefined, valLabels, C), sharpness: 1 }
    for (const sharpness of valNeighbours ? SHARPNESS : []) {
      const vote = neighbourVote(valNeighbours!, trainLabels, C, sharpness)
      const choice = chooseBlend(valHead, vote, valLabels, C)
      if (choice.nll < blend.nll) {
        blend = { ...choice, sharpness }
        valVote = vote
      }
    }
  }
  // Then the temperature again, jointly with one offset per queue (see fitBiasCorrection).
  const valScores = blendScores(valHead, valVote, blend.weight)
  const corrected = split.validation.length > 0 ? fitBiasCorrection(valScores, valLabels, C, blend.temperature) : { temperature: blend.temperature, bias: null, nll: blend.nll }
  blend = { ...blend, temperature: corrected.temperature, nll: corrected.nll }
  const bias = corrected.bias ? Array.from(corrected.bias) : undefined
  const valProbs = applyTemperature(valScores, C, blend.temperature, bias)
  const report = evaluatePredictions(Array.from(valLabels), valProbs, classes)
  const headOnly = evaluatePredictions(Array.from(valLabels), valHead, classes)
  const predicted = new Int32Array(valLabels.length)
  const confidence = new Float32Array(valLabels.length)
  for (let r = 0; r < valLabels.length; r++) {
    const best = rowArgmax(valProbs, r, C)
    predicted[r] = best
    confidence[r] = valProbs[r * C + best]!
  }
  const thresholds = deriveThresholds(predicted, confidence, valLabels, classes, params.targetPrecision)

  const ids = input.ids
  const idsOf = (positions: readonly number[]): Int32Array | undefined => (ids ? Int32Array.from(positions, (i) => ids[rows[i]!]!) : undefined)
  let neighbours: TrainedHead['neighbours'] = vectors && dim > 0 ? withIds({ vectors: trainVectors!, labels: trainLabels }, idsOf(split.train)) : undefined
  endStage('calibrate')
  if (params.refitOnAll && split.validation.length > 0) {
    progress('refit', 0, warm ? 'applying the update to the refitted weights' : `refitting on all ${rows.length} labelled tickets`)
    if (warm) {
      // An update does not refit: the step its fit took from the previous version's validated weights is
      // applied to that version's refitted weights as well (the same rows, the decisions relabelled), which
      // keeps what the refit on the held-out tickets added, at no further pass over the data.
      const before = warm.head.fitWeights ?? warm.head.linear.weights
      const after = warm.head.linear.weights
      const weights = new Float32Array(after.length)
      for (let i = 0; i < weights.length; i++) weights[i] = after[i]! + (linear.weights[i]! - before[i]!)
      linear = { ...linear, weights }
    } else {
      // Warm-started from the validated head and its curvature, the refit only adjusts to 15 % more rows.
      // The rows already featurised for fit and validation, in that order (row order does not change the fit).
      const allLabels = new Int32Array(trainLabels.length + valLabels.length)
      allLabels.set(trainLabels)
      allLabels.set(valLabels, trainLabels.length)
      const xAll = concatRows(xTrain, xVal)
      try {
        linear = await fitOnce(xAll, allLabels, 'refit', { l2, maxIterations: params.refitIterations, warmStart: linear.weights, earlyStopping: false })
      } finally {
        await dropHelper(xAll)
      }
    }
    if (vectors && dim > 0) neighbours = withIds({ vectors, labels }, idsOf(rows.map((_, i) => i)))
    endStage('refit')
  }
  progress('done', 1, 'trained')
  return {
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    classes,
    classCounts: counts,
    embedder: dim > 0 ? (input.embedder ?? null) : null,
    space,
    linear,
    temperature: blend.temperature,
    ...(bias ? { bias } : {}),
    blend: { weight: blend.weight, k: params.k, sharpness: blend.sharpness },
    thresholds,
    validation: {
      method: warm ? warm.head.validation.method : split.method,
      rows: split.validation.length,
      accuracy: report.accuracy,
      macroF1: report.macroF1,
      ece: report.ece,
      nll: blend.nll,
      headOnlyAccuracy: headOnly.accuracy
    },
    params: chosenParams,
    trainingRows: rows.length,
    validationIndex: Int32Array.from(split.validation, (i) => rows[i]!),
    validationOutcomes: { truth: valLabels, predicted, confidence, probabilities: Float32Array.from(valProbs) },
    neighbours,
    ...(validationNeighbours ? { validationNeighbours } : {}),
    timings,
    iterations,
    selection: warm?.head.selection
      ? { ...warm.head.selection, blendWeight: blend.weight, sharpness: blend.sharpness }
      : { criterion: 'validation log-loss', curve, l2, embeddingScale, blendWeight: blend.weight, sharpness: blend.sharpness },
    fitWeights,
    ...(fitCurvature ? { fitCurvature: fitCurvature.curvature, fitWeightSum: fitCurvature.weightSum } : {}),
    ...(consolidated?.pending?.length ? { consolidationPending: consolidated.pending } : {}),
    ...(warm ? { update: { fromCreatedAt: warm.head.createdAt, skippedRows: skipped, ...(plan ? { consolidated: plan.gained.length } : {}) } } : {})
  }
}

export interface StoredNeighbours {
  k: number
  /** Key of each validation ticket, in validation order. */
  queries: Int32Array
  /** queries × k keys of training tickets, best first, and their cosines. */
  keys: Int32Array
  scores: Float32Array
}

type Split = { train: number[]; validation: number[] }

function storeValidationNeighbours(n: Neighbours, split: Split, keyOf: (position: number) => number): StoredNeighbours {
  return {
    k: n.k,
    queries: Int32Array.from(split.validation, keyOf),
    keys: Int32Array.from(n.indices, (j) => keyOf(split.train[j]!)),
    scores: n.scores
  }
}

/** The stored neighbours as indices into this split's training rows, or undefined when they do not cover it. */
function reuseValidationNeighbours(stored: StoredNeighbours | undefined, split: Split, keyOf: (position: number) => number, k: number): Neighbours | undefined {
  if (!stored || stored.k !== k) return undefined
  const queryAt = new Map<number, number>()
  stored.queries.forEach((key, i) => queryAt.set(key, i))
  const trainAt = new Map<number, number>()
  split.train.forEach((position, j) => trainAt.set(keyOf(position), j))
  const missing = split.train.length
  const indices = new Int32Array(split.validation.length * k)
  const scores = new Float32Array(split.validation.length * k)
  for (let v = 0; v < split.validation.length; v++) {
    const old = queryAt.get(keyOf(split.validation[v]!))
    if (old === undefined) return undefined
    for (let j = 0; j < k; j++) {
      indices[v * k + j] = trainAt.get(stored.keys[old * k + j]!) ?? missing
      scores[v * k + j] = stored.scores[old * k + j]!
    }
  }
  return { k, indices, scores }
}

function withIds(n: { vectors: Float32Array; labels: Int32Array }, ids: Int32Array | undefined): NonNullable<TrainedHead['neighbours']> {
  return ids ? { ...n, ids } : n
}

/**
 * Calibrated class probabilities (row-major n × classes) for new tickets. `headProbabilities` are the
 * linear head's softmax outputs when something else computed them (the head's ONNX graph in
 * onnxruntime); otherwise the JavaScript head computes them. The vote and temperature follow either way.
 */
export async function predictProbabilities(
  head: TrainedHead,
  texts: string[],
  embeddings?: Float32Array,
  headProbabilities?: Float32Array,
  /** The head's neighbours as they are now (reviewed labels in place of the stored ones); default: as stored. */
  neighboursNow: TrainedHead['neighbours'] = head.neighbours,
  /** Each text's k nearest of `neighboursNow`, when the caller already has them (kept lists); else searched here. */
  nearest?: Neighbours
): Promise<Float32Array> {
  const C = head.classes.length
  const dim = head.space.embeddingDim
  let probs: Float64Array | Float32Array
  if (headProbabilities) {
    if (headProbabilities.length !== texts.length * C) throw new TrainingError('BAD_INPUT', `expected ${texts.length} × ${C} head probabilities, got ${headProbabilities.length}`)
    probs = headProbabilities
  } else {
    probs = linearLogits(head.linear.weights, buildFeatureRows(head.space, texts, dim > 0 ? embeddings : undefined), C)
    softmaxRows(probs, C)
  }
  let vote: Float64Array | undefined
  if (head.blend.weight > 0) {
    if (!neighboursNow || !embeddings) throw new TrainingError('BAD_INPUT', 'this head blends a neighbour vote: labelled vectors and query embeddings are required')
    const neighbours = nearest ?? (await findNeighbours(embeddings, neighboursNow.vectors, neighboursNow.labels, dim, head.blend.k))
    if (neighbours) vote = neighbourVote(neighbours, neighboursNow.labels, C, head.blend.sharpness ?? 1)
  }
  return applyTemperature(blendScores(probs, vote, head.blend.weight), C, head.temperature, head.bias)
}
