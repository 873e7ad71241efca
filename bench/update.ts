// `npm run bench:update`: "Update model" as the app runs it, on a real database with it-service's whole
// export: the 38,270 training tickets with their queues and the 9,567 test tickets without (new tickets
// waiting for triage). The app trains (`trainTarget`, the Train button), a lead corrects DECISIONS flagged
// test tickets to their true queue (`decide`, as the Review page does), then `updateTarget` (the Update
// model job) makes the next version. ONE JSON line on stdout.
//
// Timed: `version_seconds`, from pressing Update to the new version stored, compared and promoted (reading
// the labelled tickets and their vectors from SQLite, features, warm-started fit, calibration, the
// comparison with the active version on the same held-out tickets); `seconds`, to the end of the job,
// which then re-predicts every ticket with the active version. `stages` splits the job by the progress
// stages it reports, as the job tray shows them. `train_seconds` is the same for the full training.
//
// Not timed: the import and the sentence vectors (stored in the embeddings table as the index job would,
// from the cache bench:train keeps under os.tmpdir()/triage-bench-train/).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { csvDocument } from '../src/shared/csvWriter.ts'
import { openCsv } from '../src/main/engine/ingest/csvSource.ts'
import { importCsv } from '../src/main/engine/ingest/importCsv.ts'
import { trainTarget, type TrainStage } from '../src/main/engine/predict/trainTarget.ts'
import { activeStoredHead } from '../src/main/engine/predict/modelsRepo.ts'
import { updateTarget } from '../src/main/engine/predict/updateTarget.ts'
import { decide } from '../src/main/engine/review/reviewDecisions.ts'
import { reviewQueue } from '../src/main/engine/review/reviewQueue.ts'
import { configureSimilar, releaseSimilar } from '../src/main/engine/similar/similarState.ts'
import { saveVectors } from '../src/main/engine/similar/vectorStore.ts'
import { openDatabase } from '../src/main/engine/store/database.ts'
import { writeSettings } from '../src/main/engine/store/settingsRepo.ts'
import { cachedVectors } from './vectorCache.ts'

const SHARED = join(import.meta.dirname, '../../shared')
const SPLIT = process.env.TRIAGE_BENCH_SPLIT ?? join(SHARED, 'datasets/it-service-tickets/split')
process.env.TRIAGE_MODELS_DIR ??= join(SHARED, 'models')
const EMBEDDER = process.env.TRIAGE_BENCH_EMBEDDER ?? 'all-minilm-l6-v2-int8'
const TARGET = 'Topic_group'
/** Corrections before the update: about what a lead makes in a sitting. */
const DECISIONS = 20

const log = (s: string): void => void process.stderr.write(`[bench:update] ${s}\n`)
const round = (x: number, digits = 2): number => Number(x.toFixed(digits))

function readRows(file: string): Record<string, string>[] {
  return parse(readFileSync(join(SPLIT, file)), { columns: true }) as Record<string, string>[]
}

/** Seconds per progress stage of one job, in the order the stages came, and the moment each began. */
function stageClock(): { onProgress: (stage: TrainStage) => void; stop: () => void; stages: () => Record<string, number>; startOf: (stage: TrainStage) => number | undefined } {
  const started = performance.now()
  const marks: { stage: string; at: number }[] = [{ stage: 'reading', at: started }]
  let end = Infinity
  return {
    onProgress: (stage) => {
      if (marks.at(-1)!.stage !== stage) marks.push({ stage, at: performance.now() })
    },
    stop: () => void (end = performance.now()),
    stages: () => {
      const out: Record<string, number> = {}
      marks.forEach((m, i) => (out[m.stage] = round((out[m.stage] ?? 0) + ((marks[i + 1]?.at ?? end) - m.at) / 1000)))
      return out
    },
    startOf: (stage) => marks.find((m) => m.stage === stage)?.at
  }
}

async function main(): Promise<void> {
  // TRIAGE_BENCH_KEEP=<folder>: the database is made there and kept (to profile what follows on it).
  const keep = process.env.TRIAGE_BENCH_KEEP
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'triage-bench-update-'))
  try {
    const train = readRows('train.csv')
    const test = readRows('test.csv')
    writeFileSync(join(dir, 'history.csv'), csvDocument(['Document', TARGET], train.map((r) => [r.Document ?? '', r[TARGET] ?? ''])))
    writeFileSync(join(dir, 'new.csv'), csvDocument(['Document'], test.map((r) => [r.Document ?? ''])))
    const db = openDatabase(join(dir, 'triage.sqlite'))
    configureSimilar(db, { modelsDir: join(dir, 'models') })
    writeSettings(db, { embedder: EMBEDDER })
    log('importing it-service (history with queues, then the test split without)')
    await importCsv(db, await openCsv(join(dir, 'history.csv')))
    await importCsv(db, await openCsv(join(dir, 'new.csv')))

    // The index job's vectors. A body-only export's text is "\n" + body, which tokenises as the body does,
    // so bench:train's cache (keyed by the bodies) serves here too.
    const tickets = db.prepare('SELECT id, subject, body FROM tickets ORDER BY id').all() as { id: number; subject: string; body: string }[]
    const texts = tickets.map((t) => (t.subject ? `${t.subject}\n${t.body}` : t.body))
    const trainCount = db.prepare('SELECT count(*) AS n FROM tickets WHERE import_id = 1').get() as { n: number }
    const parts = [texts.slice(0, trainCount.n), texts.slice(trainCount.n)]
    let at = 0
    for (const part of parts) {
      const { vectors } = await cachedVectors(EMBEDDER, part, log)
      saveVectors(db, EMBEDDER, tickets.slice(at, at + part.length).map((t) => t.id), vectors)
      at += part.length
    }

    const headsDir = join(dir, 'heads')
    log(`training ${TARGET} on ${trainCount.n} tickets`)
    const trainClock = stageClock()
    const trainStarted = performance.now()
    const trained = await trainTarget(db, { target: TARGET, headsDir, onProgress: trainClock.onProgress })
    trainClock.stop()
    const trainSeconds = (performance.now() - trainStarted) / 1000

    // The lead works through the review queue and corrects wrong predictions to the test split's queue.
    const truth = new Map(test.map((r) => [r.Document ?? '', r[TARGET] ?? '']))
    const queue = reviewQueue(db, { target: TARGET, limit: 2000 }).items
    const corrections = queue.filter((item) => (truth.get(item.body) ?? item.predicted) !== item.predicted).slice(0, DECISIONS)
    for (const item of corrections) decide(db, { ticketId: item.ticketId, target: TARGET, label: truth.get(item.body)!, who: 'bench lead' })
    log(`updating after ${corrections.length} corrections`)

    const clock = stageClock()
    const started = performance.now()
    const updated = await updateTarget(db, { target: TARGET, headsDir, onProgress: clock.onProgress })
    clock.stop()
    const seconds = (performance.now() - started) / 1000
    const versionAt = clock.startOf('predicting')
    const relabelled = db
      .prepare(
        `SELECT count(*) AS n FROM predictions p JOIN labels l ON l.ticket_id = p.ticket_id AND l.target = ? AND l.current = 1
         WHERE p.model_id = ? AND p.ticket_id IN (SELECT value FROM json_each(?)) AND p.label = l.value`
      )
      .get(TARGET, activeStoredHead(db, TARGET)!.summary.id, JSON.stringify(corrections.map((c) => c.ticketId))) as { n: number }
    releaseSimilar(db)
    db.close()
    console.log(
      JSON.stringify({
        bench: 'update',
        dataset: 'it-service',
        embedder: EMBEDDER,
        tickets: tickets.length,
        labelled: trainCount.n,
        decisions: corrections.length,
        version_seconds: versionAt === undefined ? null : round((versionAt - started) / 1000),
        seconds: round(seconds),
        stages: clock.stages(),
        activated: updated.activated,
        activation: updated.activation,
        // The corrected tickets the active version (the update if it was promoted) now predicts as the lead decided (the neighbour vote
        // already counts each decision; the fit learns them).
        decided_predicted_as_decided: round(relabelled.n / Math.max(1, corrections.length)),
        validation: { before: trained.model.metrics, after: updated.model.metrics },
        train_seconds: round(trainSeconds),
        train_stages: trainClock.stages(),
        predicted: updated.predicted,
        peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
        cores: availableParallelism()
      })
    )
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true })
  }
}

await main()
