// `npm run bench:index`: the index job's embedding rate next to the bare pipeline's, on the same tickets
// in the same run. The machine is shared, so the arms alternate round by round (load from other work
// hits them alike) and only their ratios mean something: `indexTickets` as the index job runs it (its
// default batches), the same with the old 256-text batches, and the embedder pool alone on windows of
// EMBED_WINDOW as bench:infer drives it. One JSON line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { csvDocument } from '../src/shared/csvWriter.ts'
import { EMBED_WINDOW } from '../src/main/engine/inference/embedder.ts'
import { openCsv } from '../src/main/engine/ingest/csvSource.ts'
import { importCsv } from '../src/main/engine/ingest/importCsv.ts'
import { indexTickets } from '../src/main/engine/similar/similarService.ts'
import { activeEmbedder, configureSimilar, releaseSimilar } from '../src/main/engine/similar/similarState.ts'
import { ticketText } from '../src/main/engine/similar/ticketEmbedder.ts'
import { openDatabase } from '../src/main/engine/store/database.ts'
import { writeSettings } from '../src/main/engine/store/settingsRepo.ts'

const SHARED = join(import.meta.dirname, '../../shared')
const TRAIN_CSV = process.env.TRIAGE_BENCH_CSV ?? join(SHARED, 'datasets/it-service-tickets/split/train.csv')
process.env.TRIAGE_MODELS_DIR ??= join(SHARED, 'models')
const MODEL = process.env.TRIAGE_BENCH_MODEL ?? 'all-minilm-l6-v2-int8'
const ROUNDS = Number(process.env.TRIAGE_BENCH_ROUNDS ?? 3)
/** Tickets per arm per round. */
const SLICE = Number(process.env.TRIAGE_BENCH_SLICE ?? 2048)

const rows = (parse(readFileSync(TRAIN_CSV), { columns: true }) as Record<string, string>[]).slice(0, ROUNDS * SLICE * 2)
const dir = mkdtempSync(join(tmpdir(), 'triage-index-rate-'))
const csv = join(dir, 'tickets.csv')
writeFileSync(csv, csvDocument(['Document', 'Topic_group'], rows.map((r) => [r.Document ?? '', r.Topic_group ?? ''])))
const db = openDatabase(join(dir, 'triage.sqlite'))
await importCsv(db, await openCsv(csv))
configureSimilar(db, { modelsDir: join(dir, 'models') })
writeSettings(db, { embedder: MODEL })
const embedder = await activeEmbedder(db)
const tickets = db.prepare('SELECT id, subject, body FROM tickets ORDER BY id').all() as { id: number; subject: string; body: string }[]

const seconds = { index: 0, index256: 0, pipeline: 0 }
const count = { index: 0, index256: 0, pipeline: 0 }
type Arm = keyof typeof seconds
async function run(arm: Arm, slice: typeof tickets): Promise<void> {
  const t0 = performance.now()
  if (arm === 'pipeline') {
    const texts = slice.map((t) => ticketText(t.subject, t.body))
    for (let at = 0; at < texts.length; at += EMBED_WINDOW) await embedder.embed(texts.slice(at, at + EMBED_WINDOW))
  } else {
    const summary = await indexTickets(db, slice.map((t) => t.id), arm === 'index256' ? { batchSize: 256 } : {})
    if (summary.indexed !== slice.length) throw new Error(`${arm}: indexed ${summary.indexed} of ${slice.length}`)
  }
  seconds[arm] += (performance.now() - t0) / 1000
  count[arm] += slice.length
}
// A warm-up so no arm pays for the first session runs.
await embedder.embed(tickets.slice(0, 256).map((t) => ticketText(t.subject, t.body)))
for (let r = 0; r < ROUNDS; r++) {
  const mine = tickets.slice(r * 2 * SLICE, (r + 1) * 2 * SLICE)
  const arms: [Arm, typeof tickets][] = [['index', mine.slice(0, SLICE)], ['index256', mine.slice(SLICE)], ['pipeline', mine.slice(0, SLICE)]]
  // Rotated each round, so no arm always runs first or last.
  for (let i = 0; i < arms.length; i++) await run(...arms[(i + r) % arms.length]!)
}
const rate = (arm: Arm): number => Math.round(count[arm] / seconds[arm])
console.log(
  JSON.stringify({
    bench: 'index',
    model: MODEL,
    provider: embedder.provider,
    tickets_per_arm: count.index,
    index_rows_per_sec: rate('index'),
    index_batch256_rows_per_sec: rate('index256'),
    pipeline_rows_per_sec: rate('pipeline'),
    index_vs_pipeline: +(rate('index') / rate('pipeline')).toFixed(2),
    index_batch256_vs_pipeline: +(rate('index256') / rate('pipeline')).toFixed(2),
    cores: availableParallelism(),
    load_avg_1m: +loadavg()[0]!.toFixed(1)
  })
)
await releaseSimilar(db)
db.close()
rmSync(dir, { recursive: true, force: true })
