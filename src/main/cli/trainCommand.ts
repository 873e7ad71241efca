// `triage train --target COL`: trains a head on the tickets in the database, as the app's Train button does.
import type { TrainSummary } from '../../shared/models.ts'
import type { Engine } from '../engine/api/engine.ts'
import { headsDir } from '../engine/predict/modelRequests.ts'
import { trainTarget } from '../engine/predict/trainTarget.ts'
import { printJson } from './output.ts'

export async function trainCommand(engine: Engine, dbPath: string, target: string | undefined, embedder: string | undefined, json: boolean): Promise<number> {
  if (!target) throw new Error('train needs --target COL (a label target, e.g. queue; see triage stats)')
  const controller = new AbortController()
  const onSigint = (): void => controller.abort()
  process.once('SIGINT', onSigint)
  const tty = process.stderr.isTTY
  let summary: TrainSummary
  try {
    summary = await trainTarget(engine.db, {
      target,
      embedder,
      headsDir: headsDir(dbPath),
      signal: controller.signal,
      onProgress: (stage, f) => {
        if (tty) process.stderr.write(`\r${stage} ${(f * 100).toFixed(0)}%        `)
      }
    })
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
