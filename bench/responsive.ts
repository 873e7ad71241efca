// `npm run bench:responsive`: does the engine keep answering while it works? The engine runs as the
// browser host runs it (a Node child over IPC) on a fresh database. While an import, the index job that
// follows it and a training job run, the bench sends the requests a person's window sends, at a fixed
// rate whether or not earlier ones have been answered (a blocked engine makes them queue, as a window's
// would): an inbox page at a random offset (a scroll jump), a review decision, the status bar's counts.
// Latency is from send to answer. The index job's embedding rate is compared with the bare embedder
// pool's rate on the same tickets in the same run (the machine is shared: compare ratios, not runs).
// One JSON line on stdout. TRIAGE_BENCH_PROF=DIR writes a CPU profile of the engine's main thread there.
import { fork, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { parse } from 'csv-parse/sync'
import type { EventMap, Method, Params, Result, WireMessage } from '../src/shared/contract.ts'
import { csvDocument } from '../src/shared/csvWriter.ts'
import { EMBED_WINDOW } from '../src/main/engine/inference/embedder.ts'
import { loadEmbedderPool } from '../src/main/engine/inference/embedderPool.ts'
import { ticketText } from '../src/main/engine/similar/ticketEmbedder.ts'

const SHARED = join(import.meta.dirname, '../../shared')
const TRAIN_CSV = process.env.TRIAGE_BENCH_CSV ?? join(SHARED, 'datasets/it-service-tickets/split/train.csv')
const MODELS = process.env.TRIAGE_MODELS_DIR ?? join(SHARED, 'models')
const TICKETS = Number(process.env.TRIAGE_BENCH_TICKETS ?? 6000)
/** 'builtin': no model in reach, so the engine indexes with its built-in TF-IDF featuriser (on its own thread). */
const MODEL = process.env.TRIAGE_BENCH_MODEL ?? 'all-minilm-l6-v2-int8'
const BUILTIN = MODEL === 'builtin'
/** Training is watched this long, then cancelled (the point is the requests around it, and Cancel). */
const TRAIN_WATCH_S = Number(process.env.TRIAGE_BENCH_TRAIN_S ?? 30)
const PROF = process.env.TRIAGE_BENCH_PROF
/** Which stages to watch, in order: `TRIAGE_BENCH_STAGES=import` stops after the import (no pipeline run either). */
const STAGES = new Set((process.env.TRIAGE_BENCH_STAGES ?? 'import,index,train').split(','))

/** Thrown to end the watched stages early (TRIAGE_BENCH_STAGES). */
class StopAfter extends Error {}

type Kind = 'page' | 'decide' | 'stats'
/** Decisions so far, over every stage: each goes to a ticket not decided before. */
let decided = 0
/** Milliseconds between requests of each kind: a scrolling inbox, a fast reviewer, the status bar. */
const EVERY: Record<Kind, number> = { page: 100, decide: 400, stats: 500 }

class EngineClient {
  private nextId = 1
  private readonly pending = new Map<number, (m: WireMessage) => void>()
  private readonly listeners = new Set<(event: string, payload: unknown) => void>()
  constructor(readonly child: ChildProcess) {
    child.on('message', (m: WireMessage | { type: 'ready' }) => {
      if ('event' in m) for (const l of this.listeners) l(m.event, m.payload)
      else if ('id' in m && typeof m.id === 'number') {
        this.pending.get(m.id)?.(m)
        this.pending.delete(m.id)
      }
    })
  }
  request<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, (m) => ('ok' in m && m.ok ? resolve(m.result as Result<M>) : reject(new Error(JSON.stringify('error' in m ? m.error : m)))))
      this.child.send({ id, method, params })
    })
  }
  on<E extends keyof EventMap>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    const l = (e: string, p: unknown): void => {
      if (e === event) listener(p as EventMap[E])
    }
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }
  /** Resolves with the done (or failed) event of the first job of `kind` to end. */
  jobEnd(kind: EventMap['job.done']['kind']): Promise<{ done?: EventMap['job.done']; failed?: EventMap['job.failed'] }> {
    return new Promise((resolve) => {
      const offs = [
        this.on('job.done', (d) => d.kind === kind && (offs.forEach((o) => o()), resolve({ done: d }))),
        this.on('job.failed', (f) => f.kind === kind && (offs.forEach((o) => o()), resolve({ failed: f })))
      ]
    })
  }
}

function quantiles(ms: number[]): { n: number; p50: number; p95: number; max: number } {
  const s = [...ms].sort((a, b) => a - b)
  const at = (p: number): number => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0)
  return { n: s.length, p50: at(0.5), p95: at(0.95), max: Math.round(s[s.length - 1] ?? 0) }
}

/** Sends each kind of request at its fixed rate until `until` settles; returns the latencies per kind. */
async function probe(client: EngineClient, total: number, labels: string[], until: Promise<unknown>): Promise<Record<Kind, ReturnType<typeof quantiles>> & { errors: number }> {
  const times: Record<Kind, number[]> = { page: [], decide: [], stats: [] }
  const inFlight: Promise<unknown>[] = []
  let errors = 0
  const send = (kind: Kind): void => {
    const t0 = performance.now()
    const req =
      kind === 'page'
        ? client.request('tickets.page', { offset: Math.floor(Math.random() * Math.max(1, total - 100)), limit: 100, sort: { column: 'created', dir: 'desc' } })
        : kind === 'stats'
          ? client.request('store.stats', {})
          : client.request('review.decide', { ticketId: 1 + ((decided++ * 7919) % total), target: 'Topic_group', label: labels[decided % labels.length]! })
    inFlight.push(req.then(() => times[kind].push(performance.now() - t0), () => errors++))
  }
  const timers = (Object.keys(EVERY) as Kind[]).map((k) => setInterval(() => send(k), EVERY[k]))
  await until
  timers.forEach(clearInterval)
  await Promise.all(inFlight)
  return { page: quantiles(times.page), decide: quantiles(times.decide), stats: quantiles(times.stats), errors }
}

const rows = (parse(readFileSync(TRAIN_CSV), { columns: true }) as Record<string, string>[]).slice(0, TICKETS)
const dir = mkdtempSync(join(tmpdir(), 'triage-responsive-'))
const csv = join(dir, 'tickets.csv')
writeFileSync(csv, csvDocument(['Document', 'Topic_group'], rows.map((r) => [r.Document ?? '', r.Topic_group ?? ''])))
const labels = [...new Set(rows.map((r) => r.Topic_group ?? ''))].filter(Boolean)
const dbPath = join(dir, 'triage.sqlite')
mkdirSync(join(dir, 'no-models'))

const child = fork(join(import.meta.dirname, '../src/main/engine/host/childProcessMain.ts'), ['--db', dbPath, '--models', join(dir, 'models')], {
  execArgv: ['--import', 'tsx', ...(PROF ? ['--cpu-prof', '--cpu-prof-dir', PROF] : [])],
  env: { ...process.env, TRIAGE_MODELS_DIR: BUILTIN ? join(dir, 'no-models') : MODELS },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc']
})
await new Promise<void>((resolve) => child.once('message', () => resolve()))
const client = new EngineClient(child)
const result: Record<string, unknown> = { bench: 'responsive', tickets: rows.length, model: MODEL, cores: availableParallelism() }
try {
  if (!BUILTIN) {
    await client.request('settings.set', { embedder: MODEL })
    // The settings change starts an index job over no tickets; let it end first.
    await client.jobEnd('index')
  }

  const importEnd = client.jobEnd('import')
  const indexEnd = client.jobEnd('index')
  let embedRate = 0
  let embedded = 0
  const offProgress = client.on('job.progress', (p) => {
    if (p.kind === 'index' && p.rowsPerSec > 0 && (p.phase === 'index' || p.phase === 'embedding' || p.phase === undefined)) {
      embedRate = p.rowsPerSec
      embedded = p.rows
    }
  })
  let t = performance.now()
  await client.request('import.start', { path: csv })
  const whileImport = await probe(client, rows.length, labels, importEnd)
  result.import = { seconds: +((performance.now() - t) / 1000).toFixed(1), ...whileImport }
  if (!STAGES.has('index')) throw new StopAfter()
  t = performance.now()
  const whileIndex = await probe(client, rows.length, labels, indexEnd)
  const indexDone = (await indexEnd).done?.result as { indexed?: number; seconds?: number } | undefined
  offProgress()
  result.index = { seconds: +((performance.now() - t) / 1000).toFixed(1), indexed: indexDone?.indexed ?? embedded, embed_rows_per_sec: embedRate, ...whileIndex }
  if (!STAGES.has('train')) throw new StopAfter()

  t = performance.now()
  const trainEnd = client.jobEnd('train')
  const { jobId } = await client.request('model.train', { target: 'Topic_group' })
  const watched = new Promise((resolve) => setTimeout(resolve, TRAIN_WATCH_S * 1000))
  const whileTrain = await probe(client, rows.length, labels, Promise.race([watched, trainEnd]))
  const cancelAt = performance.now()
  const cancelled = await client.request('job.cancel', { jobId }).then((r) => r.cancelled, () => false)
  const ended = await trainEnd
  result.train = {
    watched_s: +((cancelAt - t) / 1000).toFixed(1),
    cancelled,
    ended: ended.done ? 'done' : 'failed',
    cancel_to_end_ms: Math.round(performance.now() - cancelAt),
    ...whileTrain
  }
} catch (err) {
  if (!(err instanceof StopAfter)) throw err
} finally {
  child.kill('SIGTERM')
  await new Promise((resolve) => child.once('exit', resolve))
}

if (BUILTIN || !STAGES.has('index')) {
  rmSync(dir, { recursive: true, force: true })
  console.log(JSON.stringify(result))
  process.exit(0)
}
// The bare pipeline on the same tickets, the engine gone: the pool the index job uses, nothing else, as
// bench:infer drives it (windows of EMBED_WINDOW texts).
const db = new Database(dbPath, { readonly: true })
const texts = (db.prepare('SELECT subject, body FROM tickets ORDER BY id').all() as { subject: string; body: string }[]).map((r) => ticketText(r.subject, r.body))
db.close()
process.env.TRIAGE_MODELS_DIR = MODELS
const pool = await loadEmbedderPool(MODEL)
const t0 = performance.now()
for (let at = 0; at < texts.length; at += EMBED_WINDOW) await pool.embed(texts.slice(at, at + EMBED_WINDOW))
const pipelineRate = Math.round(texts.length / ((performance.now() - t0) / 1000))
await pool.close()
result.pipeline_rows_per_sec = pipelineRate
const index = result.index as { embed_rows_per_sec: number }
result.index_vs_pipeline = +(index.embed_rows_per_sec / pipelineRate).toFixed(2)
result.load_avg_1m = +loadavg()[0]!.toFixed(1)
rmSync(dir, { recursive: true, force: true })
console.log(JSON.stringify(result))
