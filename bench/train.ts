// `npm run bench:train`: how long the Train button takes on it-service (38,270 labelled tickets, 8 queues)
// and how good the head is on the fixed test split. ONE JSON line on stdout.
//
// Timed: exactly what the app runs after the tickets are embedded: `trainInWorker` (the Train button's
// path: features, fit, neighbour vote, calibration, refit on all rows, in a worker thread), from the call
// to the head being back. `stages` are the seconds trainHead measured for each stage inside the worker.
//
// Not timed: reading the CSVs, and the sentence embeddings (the default embedder, all-minilm-l6-v2-int8):
// in the app they are already stored in the embeddings table when Train is pressed. The bench computes
// them once and caches them under os.tmpdir()/triage-bench-train/ (keyed by model and texts), so the
// first run is minutes longer. Scoring the test split is after the clock stops (`predict_seconds`).
//
// Then "Update model" after a lead's decisions (`update_seconds`, timed the same way): DECISIONS training
// tickets are relabelled with the queue the head ranks second for them (a lead moving tickets between
// queues), and the head is updated from the trained one (warm-started, same feature space and held-out
// tickets, few iterations). `update_accuracy` etc. are the updated head's on the same test split.
// `selection` is what the grid search chose on validation (l2, embedding scale, blend) and its curve.
//
// Environment: TRIAGE_BENCH_SPLIT (folder with train.csv/test.csv), TRIAGE_BENCH_TARGET and
// TRIAGE_BENCH_TEXT (label column; text columns, comma-separated, joined as `triage eval` joins them),
// TRIAGE_BENCH_ROWS (use only the first N training rows: quick iterations), TRIAGE_BENCH_EMBEDDER
// ('none' for TF-IDF only), TRIAGE_BENCH_PARAMS (JSON of training parameter overrides, for experiments).
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { evaluatePredictions } from '../src/main/engine/evaluate/metrics.ts'
import { predictProbabilities, type TrainingParams } from '../src/main/engine/learn/trainHead.ts'
import { trainInWorker } from '../src/main/engine/learn/trainWorker.ts'
import { cachedVectors } from './vectorCache.ts'

const SPLIT = process.env.TRIAGE_BENCH_SPLIT ?? join(import.meta.dirname, '../../shared/datasets/it-service-tickets/split')
const EMBEDDER = process.env.TRIAGE_BENCH_EMBEDDER ?? 'all-minilm-l6-v2-int8'
const ROWS = Number(process.env.TRIAGE_BENCH_ROWS ?? 0)
const OVERRIDES = JSON.parse(process.env.TRIAGE_BENCH_PARAMS ?? '{}') as Partial<TrainingParams>
const TARGET = process.env.TRIAGE_BENCH_TARGET ?? 'Topic_group'
const TEXT = (process.env.TRIAGE_BENCH_TEXT ?? 'Document').split(',')
const DATASET = process.env.TRIAGE_BENCH_SPLIT ? basename(dirname(SPLIT)) : 'it-service'
/** Decisions before the update: about what a lead corrects in a sitting. */
const DECISIONS = 20

const log = (s: string): void => void process.stderr.write(`[bench:train] ${s}\n`)

function readSplit(file: string): { texts: string[]; labels: string[] } {
  const rows = parse(readFileSync(join(SPLIT, file)), { columns: true }) as Record<string, string>[]
  return {
    texts: rows.map((r) => TEXT.map((c) => r[c] ?? '').filter((t) => t.trim() !== '').join('\n')),
    labels: rows.map((r) => (r[TARGET] ?? '').trim())
  }
}

async function main(): Promise<void> {
  let train = readSplit('train.csv')
  const test = readSplit('test.csv')
  const useEmbedder = EMBEDDER !== 'none'
  // The whole training file's vectors are cached, so a TRIAGE_BENCH_ROWS subsample reuses them.
  let trainVec = useEmbedder ? await cachedVectors(EMBEDDER, train.texts, log) : undefined
  const testVec = useEmbedder ? await cachedVectors(EMBEDDER, test.texts, log) : undefined
  if (ROWS > 0 && ROWS < train.texts.length) {
    train = { texts: train.texts.slice(0, ROWS), labels: train.labels.slice(0, ROWS) }
    if (trainVec) trainVec = { vectors: trainVec.vectors.slice(0, ROWS * trainVec.dim), dim: trainVec.dim }
  }

  log(`training on ${train.texts.length} tickets`)
  const started = performance.now()
  const head = await trainInWorker(
    {
      texts: train.texts,
      labels: train.labels,
      // Row numbers as ticket ids, as the app passes its ids: what names neighbours across an update.
      ids: train.texts.map((_, i) => i),
      ...(trainVec ? { embeddings: trainVec.vectors, embeddingDim: trainVec.dim, embedder: EMBEDDER } : {})
    },
    OVERRIDES,
    { onProgress: (p) => (p.stage === 'fit' || p.stage === 'refit' ? undefined : log(`${p.stage}: ${p.message}`)) }
  )
  const seconds = (performance.now() - started) / 1000

  const predictStarted = performance.now()
  const probs = await predictProbabilities(head, test.texts, testVec?.vectors)
  const predictSeconds = (performance.now() - predictStarted) / 1000
  const C = head.classes.length
  const keep = test.labels.map((l, i) => (head.classes.includes(l) ? i : -1)).filter((i) => i >= 0)
  const onTest = (p: Float32Array): ReturnType<typeof evaluatePredictions> => {
    const kept = new Float32Array(keep.length * C)
    keep.forEach((row, r) => kept.set(p.subarray(row * C, (row + 1) * C), r * C))
    return evaluatePredictions(keep.map((i) => head.classes.indexOf(test.labels[i]!)), kept, head.classes)
  }
  const report = onTest(probs)

  // The lead's decisions: the first training tickets outside the held-out split, moved to the queue the
  // head ranks second (so the update has something to learn), the rest unchanged.
  const held = new Set(head.validationIndex)
  const decided = train.texts.map((_, i) => i).filter((i) => !held.has(i)).slice(0, DECISIONS)
  const decidedProbs = await predictProbabilities(head, decided.map((i) => train.texts[i]!), trainVec ? Float32Array.from(decided.flatMap((i) => Array.from(trainVec!.vectors.subarray(i * trainVec!.dim, (i + 1) * trainVec!.dim)))) : undefined)
  const labels = [...train.labels]
  decided.forEach((row, k) => {
    const order = head.classes.map((_, c) => c).sort((a, b) => decidedProbs[k * C + b]! - decidedProbs[k * C + a]!)
    labels[row] = head.classes[order[1]!]!
  })
  log(`updating after ${decided.length} decisions`)
  const updateStarted = performance.now()
  const updated = await trainInWorker(
    {
      texts: train.texts,
      labels,
      ids: train.texts.map((_, i) => i),
      ...(trainVec ? { embeddings: trainVec.vectors, embeddingDim: trainVec.dim, embedder: EMBEDDER } : {})
    },
    OVERRIDES,
    {},
    { head, validationRows: Array.from(head.validationIndex), formerValidationIds: Array.from(head.validationIndex) }
  )
  const updateSeconds = (performance.now() - updateStarted) / 1000
  const updateReport = onTest(await predictProbabilities(updated, test.texts, testVec?.vectors))
  const afterProbs = await predictProbabilities(updated, decided.map((i) => train.texts[i]!), trainVec ? Float32Array.from(decided.flatMap((i) => Array.from(trainVec!.vectors.subarray(i * trainVec!.dim, (i + 1) * trainVec!.dim)))) : undefined)
  const updatedDecided = decided.map((row, k) => {
    let best = 0
    for (let c = 1; c < C; c++) if (afterProbs[k * C + c]! > afterProbs[k * C + best]!) best = c
    return head.classes[best] === labels[row]
  })

  const round = (x: number, d = 4): number => Math.round(x * 10 ** d) / 10 ** d
  const sel = head.selection
  const result = {
    bench: 'train',
    dataset: DATASET,
    embedder: useEmbedder ? EMBEDDER : 'none',
    embeddings: useEmbedder ? 'precomputed (cached in os.tmpdir()/triage-bench-train, not timed)' : 'none',
    seconds: round(seconds, 2),
    stages: Object.fromEntries(Object.entries(head.timings ?? {}).map(([k, v]) => [k, round(v, 2)])),
    iterations: head.iterations,
    rows: head.trainingRows,
    classes: C,
    test_rows: keep.length,
    accuracy: round(report.accuracy),
    macro_f1: round(report.macroF1),
    ece: round(report.ece),
    validation_accuracy: round(head.validation.accuracy),
    blend_weight: head.blend.weight,
    temperature: round(head.temperature, 3),
    sparse_features: head.space.sparseDim,
    predict_seconds: round(predictSeconds, 2),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    update_seconds: round(updateSeconds, 2),
    update_decisions: decided.length,
    // The decided tickets' new queue, as the updated head ranks them: how much of the decisions it learnt.
    update_decided_learnt: round(decided.filter((_, k) => updatedDecided[k]).length / Math.max(1, decided.length), 2),
    update_stages: Object.fromEntries(Object.entries(updated.timings ?? {}).map(([k, v]) => [k, round(v, 2)])),
    update_iterations: updated.iterations,
    update_accuracy: round(updateReport.accuracy),
    update_macro_f1: round(updateReport.macroF1),
    update_ece: round(updateReport.ece),
    update_validation_accuracy: round(updated.validation.accuracy),
    chosen: sel ? { l2: sel.l2, embedding_scale: sel.embeddingScale, blend_weight: sel.blendWeight, sharpness: sel.sharpness } : null,
    validation_curve: sel?.curve.map((p) => ({ l2: p.l2, embedding_scale: p.embeddingScale, nll: round(p.nll), accuracy: round(p.accuracy), iterations: p.iterations, seconds: round(p.seconds, 2) })),
    cores: availableParallelism(),
    overrides: OVERRIDES
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:train failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(1)
  }
)
