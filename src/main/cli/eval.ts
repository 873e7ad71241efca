// `triage eval`: train a head on one CSV and measure it on another, the numbers the Evaluation page
// shows. Progress goes to stderr; with --json exactly one JSON object goes to stdout.
import { join } from 'node:path'
import { defaultDataDir } from '../engine/dataDir.ts'
import { openCsv } from '../engine/ingest/csvSource.ts'
import { listInstalledEmbedders, type Embedder } from '../engine/inference/embedder.ts'
import { loadEmbedderPool } from '../engine/inference/embedderPool.ts'
import { ManifestError, manifestByName } from '../engine/inference/modelManifest.ts'
import { evaluatePredictions, meetsThreshold } from '../engine/evaluate/metrics.ts'
import { predictProbabilities, trainHead } from '../engine/learn/trainHead.ts'
import { thresholdFor } from '../engine/learn/thresholds.ts'
import { REVIEW_FLOOR } from '../engine/learn/thresholdFloor.ts'
import { oneLine, printError, table } from './output.ts'
import { storedModelReport } from './evalStored.ts'
import { helpText, parseCommandLine, UsageError } from './args.ts'
import { commandSpec } from './commandSpecs.ts'

/** The command ran but its data cannot give an answer (a missing column, no labelled rows): exit 1. */
class EvalDataError extends Error {}

interface LabelledFile {
  texts: string[]
  labels: string[]
}

async function readLabelled(path: string, target: string, textColumns: string[] | undefined): Promise<LabelledFile> {
  const source = await openCsv(path)
  const find = (name: string): number => {
    const i = source.headers.findIndex((h) => h.trim() === name)
    if (i < 0) throw new EvalDataError(`${path}: no column "${name}" (columns: ${source.headers.join(', ')})`)
    return i
  }
  const targetAt = find(target)
  // Without --text, every other column is text: the user has not told us which ones matter.
  const textAt = textColumns ? textColumns.map(find) : source.headers.map((_, i) => i).filter((i) => i !== targetAt)
  const texts: string[] = []
  const labels: string[] = []
  for await (const record of source.records()) {
    texts.push(textAt.map((i) => record.fields[i] ?? '').filter((s) => s.trim() !== '').join('\n'))
    labels.push((record.fields[targetAt] ?? '').trim())
  }
  return { texts, labels }
}

async function chooseEmbedder(requested: string | undefined, log: (s: string) => void): Promise<{ embedder?: Embedder; note?: string }> {
  if (requested === 'none') return {}
  // Where `npm run models` and the app's installs put models, after TRIAGE_MODELS_DIR.
  const modelsDir = join(defaultDataDir(), 'models')
  const names = requested ? [requested] : listInstalledEmbedders(modelsDir).map((e) => e.name)
  for (const name of names) {
    try {
      // Here, not in the pool's workers: an unknown name must stop with ManifestError's message.
      manifestByName(name, modelsDir)
      return { embedder: await loadEmbedderPool(name, { modelsDir }) }
    } catch (err) {
      // A name we have no manifest for is a typo: stop. A known model that fails to load (missing,
      // damaged) falls back to TF-IDF, as the app does, and the JSON says why.
      if (err instanceof ManifestError) throw err
      log(`embedder ${name} unavailable: ${(err as Error).message}`)
      if (requested) return { note: `${name}: ${(err as Error).message}` }
    }
  }
  return { note: names.length ? 'no installed embedder could be loaded' : 'no embedder installed (set TRIAGE_MODELS_DIR)' }
}

export async function evalCommand(argv: string[]): Promise<number> {
  const started = performance.now()
  let json = argv.includes('--json')
  const log = (s: string): void => {
    process.stderr.write(`[eval ${((performance.now() - started) / 1000).toFixed(1)}s] ${s}\n`)
  }
  let embedder: Embedder | undefined
  try {
    const spec = commandSpec('eval')
    const parsed = parseCommandLine(spec, argv)
    if (parsed.help) {
      process.stdout.write(`${helpText(spec)}\n`)
      return 0
    }
    const values = parsed.values as { [K in 'train' | 'test' | 'target' | 'text' | 'embedder' | 'db' | 'source' | 'model']?: string } & { json?: boolean }
    json = values.json ?? false
    if (values.db !== undefined) {
      if (values.train || values.test) throw new UsageError('--db reports on a stored model; --train/--test train a new one: use one or the other', 'eval')
      if (!values.target) throw new UsageError('--target is required', 'eval')
      return await storedModelReport(values.db, values.target, values.source, values.model, json)
    }
    if (!values.train || !values.test || !values.target) throw new UsageError('--train, --test and --target are required', 'eval')
    const textColumns = values.text?.split(',').map((s) => s.trim()).filter(Boolean)
    const train = await readLabelled(values.train, values.target, textColumns)
    const test = await readLabelled(values.test, values.target, textColumns)
    log(`read ${train.texts.length} training and ${test.texts.length} test tickets`)
    // Without test rows every figure is 0/0: say so rather than print NaN and exit 0 as if measured.
    const emptySet = (file: LabelledFile, path: string, what: string): string | undefined =>
      file.texts.length === 0 ? `${what} set ${path} has no rows` : file.labels.every((l) => l === '') ? `${what} set ${path} has no rows with a ${values.target} label` : undefined
    const empty = emptySet(test, values.test, 'test') ?? emptySet(train, values.train, 'training')
    if (empty) throw new EvalDataError(`${empty}: nothing to evaluate`)

    const chosen = await chooseEmbedder(values.embedder, log)
    embedder = chosen.embedder
    let trainVectors: Float32Array | undefined
    let testVectors: Float32Array | undefined
    if (embedder) {
      log(`embedding with ${embedder.name} on ${embedder.provider}${embedder.providerNotes.length ? ` (${embedder.providerNotes.join('; ')})` : ''}`)
      trainVectors = await embedder.embed(train.texts)
      log('embedded training tickets')
      testVectors = await embedder.embed(test.texts)
      log('embedded test tickets')
    } else {
      log(`no embedder: TF-IDF features only${chosen.note ? ` (${chosen.note})` : ''}`)
    }

    let lastLog = 0
    const head = await trainHead(
      { texts: train.texts, labels: train.labels, embeddings: trainVectors, embeddingDim: embedder?.dimension, embedder: embedder?.name ?? null },
      {},
      {
        onProgress: (p) => {
          if (p.stage === 'fit' || p.stage === 'refit') {
            if (performance.now() - lastLog < 10_000) return
            lastLog = performance.now()
          }
          log(`${p.stage}: ${p.message}`)
        }
      }
    )
    log(`validation: accuracy ${head.validation.accuracy.toFixed(4)}, blend weight ${head.blend.weight}, temperature ${head.temperature.toFixed(3)}`)

    // Test rows whose label the head never saw count as errors: they get a class with no probability.
    const classes = [...head.classes]
    for (const l of test.labels) if (l && !classes.includes(l)) classes.push(l)
    const labelled = test.labels.map((l, i) => (l ? i : -1)).filter((i) => i >= 0)
    const headProbs = await predictProbabilities(head, test.texts, testVectors)
    const C = classes.length
    const H = head.classes.length
    const probs = new Float32Array(labelled.length * C)
    labelled.forEach((row, r) => probs.set(headProbs.subarray(row * H, (row + 1) * H), r * C))
    const truth = labelled.map((row) => classes.indexOf(test.labels[row]!))
    const report = evaluatePredictions(truth, probs, classes)
    let review = 0
    for (let r = 0; r < labelled.length; r++) {
      let best = 0
      for (let c = 1; c < H; c++) if (probs[r * C + c]! > probs[r * C + best]!) best = c
      // With the review floor, as the app flags: the review rate is the one a lead would see.
      if (!meetsThreshold(probs[r * C + best]!, Math.max(REVIEW_FLOOR, thresholdFor(head.thresholds, classes[best]!)))) review++
    }
    const result = {
      accuracy: report.accuracy,
      macro_f1: report.macroF1,
      weighted_f1: report.weightedF1,
      top3_accuracy: report.top3Accuracy,
      ece: report.ece,
      mean_confidence: report.meanConfidence,
      review_rate: labelled.length ? review / labelled.length : 0,
      threshold: Math.max(REVIEW_FLOOR, head.thresholds.global),
      target_precision: head.thresholds.targetPrecision,
      coverage_at_precision: Object.fromEntries(Object.entries(report.coverageAtPrecision).map(([k, v]) => [k, v.coverage])),
      per_class: Object.fromEntries(report.perClass.map((c) => [c.label, { precision: c.precision, recall: c.recall, f1: c.f1, support: c.support }])),
      confusion: { labels: classes, matrix: report.confusion },
      reliability: report.reliability,
      n_train: head.trainingRows,
      n_test: labelled.length,
      classes: head.classes.length,
      embedder: head.embedder ?? 'none',
      embedder_note: chosen.note ?? null,
      provider: embedder?.provider ?? null,
      validation: head.validation,
      temperature: head.temperature,
      blend_weight: head.blend.weight,
      seconds: (performance.now() - started) / 1000
    }
    if (json) {
      process.stdout.write(`${JSON.stringify(result)}\n`)
    } else {
      const pct = (x: number): string => `${(100 * x).toFixed(1)} %`
      process.stdout.write(
        [
          `Trained on ${result.n_train} tickets, tested on ${result.n_test} (${result.classes} queues, embedder ${result.embedder}).`,
          `accuracy ${pct(result.accuracy)}   macro-F1 ${result.macro_f1.toFixed(3)}   weighted-F1 ${result.weighted_f1.toFixed(3)}`,
          `calibration error (ECE) ${result.ece.toFixed(3)}   mean confidence ${pct(result.mean_confidence)}`,
          `review rate ${pct(result.review_rate)} at target precision ${result.target_precision}`,
          `coverage at precision 0.90: ${pct(result.coverage_at_precision['0.90'] ?? 0)}, 0.95: ${pct(result.coverage_at_precision['0.95'] ?? 0)}`,
          '',
          table([
            ['queue', 'precision', 'recall', 'F1', 'support'],
            ...report.perClass.map((c) => [c.label, c.precision.toFixed(3), c.recall.toFixed(3), c.f1.toFixed(3), String(c.support)])
          ]),
          `(${result.seconds.toFixed(1)} s)`,
          ''
        ].join('\n')
      )
    }
    return 0
  } catch (err) {
    if (err instanceof UsageError) return printError(err, json)
    // One line, cleaned: the message may quote the CSV's header.
    process.stderr.write(`triage eval: ${oneLine(err instanceof Error ? err.message : String(err), 2000)}\n`)
    return 1
  } finally {
    await embedder?.close()
  }
}
