// `triage eval --db PATH --target COL`: the Evaluation page's figures for a stored model, printed by the
// CLI. It asks the engine's `eval.report`, the very request the page makes, so the two agree to the last
// digit; `--json` uses the same key names as `triage eval --train … --test …`.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { EvaluationReportView, EvaluationSource } from '../../shared/evaluation.ts'
import { createEngine } from '../engine/api/engine.ts'
import { printJson, table } from './output.ts'
import { UsageError } from './args.ts'

/** A bad --source, --model or --db: a wrong command line, so exit 2. */
export class StoredEvalUsageError extends UsageError {
  constructor(message: string) {
    super(message, 'eval')
  }
}

/** The report as `triage eval` prints it: snake_case keys shared with the train/test mode. */
export function reportJson(report: EvaluationReportView): Record<string, unknown> {
  return {
    source: report.source,
    description: report.description,
    target: report.target,
    model_id: report.modelId,
    model_version: report.modelVersion,
    n_test: report.n,
    accuracy: report.accuracy,
    macro_f1: report.macroF1,
    weighted_f1: report.weightedF1,
    top2_accuracy: report.top2,
    top3_accuracy: report.top3,
    ece: report.ece,
    mean_confidence: report.meanConfidence,
    review_rate: report.reviewRate,
    threshold: report.threshold,
    coverage_at_precision: Object.fromEntries(Object.entries(report.coverageAtPrecision).map(([k, v]) => [k, v.coverage])),
    per_class: Object.fromEntries(
      report.perClass.map((c) => [c.label, { precision: c.precision, recall: c.recall, f1: c.f1, support: c.support, routed_precision: c.routedPrecision, routed_coverage: c.routedCoverage, threshold: c.threshold }])
    ),
    confusion: { labels: report.classes, matrix: report.confusion },
    reliability: report.reliability
  }
}

function parseSource(source: string | undefined): EvaluationSource {
  if (source === undefined || source === 'holdout' || source === 'reviews') return source ?? 'holdout'
  throw new StoredEvalUsageError(`--source must be holdout or reviews, not "${source}"`)
}

function parseModel(model: string | undefined): number | undefined {
  if (model === undefined) return undefined
  const id = Number(model)
  if (!Number.isInteger(id) || id <= 0) throw new StoredEvalUsageError(`--model must be a model id (a positive integer; see triage train or the Models page), not "${model}"`)
  return id
}

export async function storedModelReport(dbArg: string, target: string, sourceArg: string | undefined, modelArg: string | undefined, json: boolean): Promise<number> {
  const source = parseSource(sourceArg)
  const modelId = parseModel(modelArg)
  const dbPath = resolve(dbArg)
  // Opening a missing path would create an empty store and report "no model": say what is wrong instead.
  if (!existsSync(dbPath)) throw new Error(`no database at ${dbPath}`)
  const engine = createEngine({ dbPath, predictMissingAtStart: false })
  try {
    const report = await engine.call('eval.report', { target, source, ...(modelId !== undefined ? { modelId } : {}) })
    if (!report) {
      const message = `no model for ${target} in ${dbPath}: train one first (triage train --target ${target} --db ${dbArg})`
      if (json) printJson({ error: { code: 'NOT_FOUND', message } })
      process.stderr.write(`triage eval: ${message}\n`)
      return 1
    }
    // No reviews yet (or an empty hold-out): every figure would be 0/0, so say that instead of printing them.
    if (report.n === 0) {
      const message = `no ${source === 'reviews' ? 'reviewed' : 'held-out'} tickets for ${target} v${report.modelVersion}: nothing to evaluate`
      if (json) printJson({ error: { code: 'NOT_FOUND', message } })
      process.stderr.write(`triage eval: ${message}\n`)
      return 1
    }
    if (json) {
      printJson(reportJson(report))
      return 0
    }
    const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(1)} %`)
    const at90 = Object.entries(report.coverageAtPrecision).find(([k]) => Math.abs(Number(k) - 0.9) < 1e-9)?.[1]
    process.stdout.write(
      [
        `${report.description}; ${report.n} tickets.`,
        `accuracy ${pct(report.accuracy)}   macro-F1 ${report.macroF1.toFixed(3)}   weighted-F1 ${report.weightedF1.toFixed(3)}   top-3 ${pct(report.top3)}`,
        `calibration error (ECE) ${report.ece === null ? '—' : report.ece.toFixed(3)}   mean confidence ${pct(report.meanConfidence)}`,
        `review rate ${pct(report.reviewRate)} at threshold ${report.threshold.toFixed(2)}   coverage at 90 % precision ${pct(at90?.coverage ?? null)}`,
        '',
        table([
          ['queue', 'precision', 'recall', 'F1', 'support', 'routed precision', 'routed coverage'],
          ...report.perClass.map((c) => [c.label, c.precision.toFixed(3), c.recall.toFixed(3), c.f1.toFixed(3), String(c.support), c.routedPrecision.toFixed(3), c.routedCoverage.toFixed(3)])
        ]),
        ''
      ].join('\n')
    )
    return 0
  } finally {
    engine.close()
  }
}
