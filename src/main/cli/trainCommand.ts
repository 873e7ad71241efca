// `triage train --target COL`: trains a head on the tickets in the database, as the app's Train button does;
// with --update, a new version from the active one after review decisions, as Update model does.
import type { TrainSummary } from '../../shared/models.ts'
import type { Engine } from '../engine/api/engine.ts'
import { headsDir } from '../engine/predict/modelRequests.ts'
import { trainTarget } from '../engine/predict/trainTarget.ts'
import { updateTarget } from '../engine/predict/updateTarget.ts'
import { printJson } from './output.ts'

export async function trainCommand(engine: Engine, dbPath: string, target: string | undefined, embedder: string | undefined, json: boolean, update = false): Promise<number> {
  if (!target) throw new Error('train needs --target COL (a label target, e.g. queue; see triage stats)')
  const controller = new AbortController()
  const onSigint = (): void => controller.abort()
  process.once('SIGINT', onSigint)
  const tty = process.stderr.isTTY
  let summary: TrainSummary
  try {
    const options = {
      target,
      headsDir: headsDir(dbPath),
      signal: controller.signal,
      onProgress: (stage: string, f: number) => {
        if (tty) process.stderr.write(`\r${stage} ${(f * 100).toFixed(0)}%        `)
      }
    }
    summary = update ? await updateTarget(engine.db, options) : await trainTarget(engine.db, { ...options, embedder })
  } finally {
    process.off('SIGINT', onSigint)
    if (tty) process.stderr.write('\n')
  }
  if (json) {
    printJson(summary)
    return 0
  }
  const m = summary.model
  console.log(`${target} v${m.version}: ${m.classes.length} classes, ${m.trainingRows} labelled tickets, embedder ${m.embedder ?? 'none (built-in TF-IDF)'}`)
  console.log(`held-out (${m.metrics.validationMethod}, ${m.metrics.validationRows} tickets): accuracy ${m.metrics.accuracy.toFixed(3)}  macro-F1 ${m.metrics.macroF1.toFixed(3)}  ECE ${m.metrics.ece.toFixed(3)}  coverage@90% ${(m.metrics.coverageAt90 * 100).toFixed(1)}%`)
  console.log(summary.activation)
  console.log(`predicted ${summary.predicted} tickets; ${summary.needsReview} need review (threshold ${m.thresholds.global.toFixed(2)})`)
  return 0
}
