// `npm run bench:infer`: per installed embedder, tickets/s of the whole prediction pipeline
// (tokenise + embed + classify + store in SQLite) next to the bare `session.run` throughput on the
// same batches, and single-ticket latency. One JSON line per model on stdout.
//
// The pipeline is the app's: the embedder pool (one worker thread per core, each with a 1-thread
// session) then the head, then SQLite. "Bare" is the same sessions on the same batches with nothing
// else: as many bench workers, each timing only `session.run`, shards balanced between them as the
// pool balances them; its time is the busiest worker's.
//
// Bare and pipeline runs alternate chunk by chunk, so load from other processes on this shared machine
// hits both alike and their ratio stays meaningful.
//
// cosine_to_fp32 is the mean, over the tickets, of the cosine between the pipeline's vectors and an fp32
// reference's, computed after the timed runs: fast int8 vectors can be wrong on some CPUs while every
// rate still looks good.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { parse } from 'csv-parse/sync'
import type { Worker } from 'node:worker_threads'
import { listInstalledEmbedders, batchSizeFor, EMBED_WINDOW } from '../src/main/engine/inference/embedder.ts'
import { rowCosines } from '../src/main/engine/inference/encoderOutput.ts'
import { loadEmbedderPool, planShards } from '../src/main/engine/inference/embedderPool.ts'
import { startModuleWorker } from '../src/main/engine/jobs/moduleWorker.ts'
import type { BareSetup, FromBare, ToBare } from './bareWorker.ts'
import { manifestByName, fileOfRole } from '../src/main/engine/inference/modelManifest.ts'
import { TextTokenizer, padBatch, planBatches, type PaddedBatch } from '../src/main/engine/inference/textTokenizer.ts'
import * as ort from 'onnxruntime-node'
import { headToOnnx, runOnnxHead } from '../src/main/engine/learn/headOnnx.ts'
import { predictProbabilities, trainHead } from '../src/main/engine/learn/trainHead.ts'

const SPLIT = process.env.TRIAGE_BENCH_SPLIT ?? join(import.meta.dirname, '../../shared/datasets/it-service-tickets/split')
// Bare and pipeline alternate per chunk of one embedder window, so both see the same batches and,
// on a shared machine, the same load.
const CHUNK = Number(process.env.TRIAGE_BENCH_CHUNK ?? EMBED_WINDOW)
const LATENCY_SAMPLES = 100

/**
 * The fp32 model each one's vectors are held to: the shipped int8 MiniLM is a quantised copy of the fp32
 * MiniLM; any other model is held to its own file run in fp32 (no int8 rewrite at load).
 */
const FP32_REFERENCE: Readonly<Record<string, string>> = { 'all-minilm-l6-v2-int8': 'all-minilm-l6-v2' }

/** Mean cosine of `vectors` to the fp32 reference's vectors of the same texts, and what the reference was. */
async function fidelityToFp32(
  name: string,
  pipelineNotes: readonly string[],
  texts: string[],
  vectors: Float32Array,
  dim: number
): Promise<{ cosine: number | null; reference: string }> {
  const reference = FP32_REFERENCE[name] ?? name
  // The pipeline itself ran the reference graph (a model without int8 weights, or one kept in fp32 at load).
  if (reference === name && !pipelineNotes.some((n) => n.includes('quantised to int8'))) {
    return { cosine: 1, reference: `${name} in fp32 (the pipeline ran fp32)` }
  }
  if (!listInstalledEmbedders().some((e) => e.name === reference)) return { cosine: null, reference: `${reference} (not installed)` }
  const fp32 = await loadEmbedderPool(reference, { cpuInt8: false })
  try {
    const cosines = rowCosines(vectors, await fp32.embed(texts), dim)
    return { cosine: cosines.reduce((a, c) => a + c, 0) / cosines.length, reference: `${reference} in fp32` }
  } finally {
    await fp32.close()
  }
}

function readColumn(file: string, column: string): string[][] {
  const rows = parse(readFileSync(file), { columns: true }) as Record<string, string>[]
  return [rows.map((r) => r[column] ?? ''), rows.map((r) => r.Topic_group ?? '')]
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0
}

interface BareWorker {
  readonly worker: Worker
  run(batches: PaddedBatch[]): Promise<number>
}

async function startBareWorker(name: string, modelPath: string, output: string): Promise<BareWorker> {
  const worker = startModuleWorker(new URL('./bareWorker.ts', import.meta.url).href, { bareWorker: { name, modelPath, output } } satisfies BareSetup)
  let waiting: ((seconds: number) => void) | undefined
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject)
    worker.on('message', (msg: FromBare) => {
      if (msg.type === 'ready') resolve()
      else waiting?.(msg.seconds)
    })
  })
  return {
    worker,
    run: (batches) =>
      new Promise((resolve) => {
        waiting = resolve
        worker.postMessage({ type: 'run', batches } satisfies ToBare)
      })
  }
}

async function benchModel(name: string, texts: string[], trainTexts: string[], trainLabels: string[]): Promise<Record<string, unknown>> {
  const manifest = manifestByName(name)
  const embedder = await loadEmbedderPool(name)
  const workers = embedder.provider === 'cpu' ? Number(/(\d+) worker threads/.exec(embedder.providerNotes.join(' '))?.[1] ?? 1) : 1
  const batchSize = batchSizeFor(embedder.provider)
  const dir = listInstalledEmbedders().find((e) => e.name === name)!.dir
  const tokenizer = new TextTokenizer(
    JSON.parse(readFileSync(join(dir, fileOfRole(manifest, 'tokenizer')!.path), 'utf8')) as object,
    JSON.parse(readFileSync(join(dir, fileOfRole(manifest, 'tokenizerConfig')!.path), 'utf8')) as object,
    manifest.maxTokens
  )
  const bareWorkers = await Promise.all(Array.from({ length: workers }, () => startBareWorker(name, join(dir, fileOfRole(manifest, 'model')!.path), manifest.output)))

  // A real (small) head, so "classify" is the same code the app runs: TF-IDF ⊕ embedding + vote.
  const headVectors = await embedder.embed(trainTexts)
  const head = await trainHead(
    { texts: trainTexts, labels: trainLabels, embeddings: headVectors, embeddingDim: embedder.dimension, embedder: name },
    { maxIterations: 40, refitOnAll: false }
  )
  // The app predicts with the head's ONNX graph in onnxruntime (predictTickets.ts); so does the bench.
  const headSession = await ort.InferenceSession.create(headToOnnx(head), { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 })
  const classify = async (batch: string[], vectors: Float32Array): Promise<Float32Array> =>
    predictProbabilities(head, batch, vectors, await runOnnxHead(headSession, head, batch, vectors))

  const dbDir = mkdtempSync(join(tmpdir(), 'triage-bench-'))
  const db = new Database(join(dbDir, 'bench.sqlite'))
  db.pragma('journal_mode = WAL')
  db.exec('CREATE TABLE predictions (ticket INTEGER PRIMARY KEY, label TEXT NOT NULL, confidence REAL NOT NULL, vector BLOB NOT NULL) STRICT')
  const insert = db.prepare('INSERT OR REPLACE INTO predictions VALUES (?, ?, ?, ?)')
  const store = db.transaction((start: number, probs: Float32Array, vectors: Float32Array, rows: number) => {
    const C = head.classes.length
    for (let r = 0; r < rows; r++) {
      let best = 0
      for (let c = 1; c < C; c++) if (probs[r * C + c]! > probs[r * C + best]!) best = c
      const v = vectors.subarray(r * embedder.dimension, (r + 1) * embedder.dimension)
      insert.run(start + r, head.classes[best]!, probs[r * C + best]!, Buffer.from(v.buffer, v.byteOffset, v.byteLength))
    }
  })

  let bareSeconds = 0
  const stages = { embed: 0, classify: 0, store: 0 }
  let pipelineSeconds = 0
  let tokens = 0
  const pipelineVectors = new Float32Array(texts.length * embedder.dimension)
  for (let start = 0; start < texts.length; start += CHUNK) {
    const chunk = texts.slice(start, start + CHUNK)
    // Bare: tokenised and padded beforehand, only session.run is timed. The same shards the pool hands
    // out, each sorted into the same batches; each shard goes to the least loaded worker.
    const encoded = chunk.map((t) => tokenizer.encode(t))
    tokens += encoded.reduce((a, e) => a + e.length, 0)
    const perWorker: PaddedBatch[][] = bareWorkers.map(() => [])
    const load = bareWorkers.map(() => 0)
    for (const shardOrder of planShards(chunk)) {
      const shard = shardOrder.map((i) => encoded[i]!)
      const least = load.indexOf(Math.min(...load))
      for (const order of planBatches(shard.map((e) => e.length), batchSize)) perWorker[least]!.push(padBatch(order.map((i) => shard[i]!), order))
      load[least]! += shard.reduce((a, e) => a + e.length, 0)
    }
    bareSeconds += Math.max(...(await Promise.all(bareWorkers.map((b, i) => b.run(perWorker[i]!)))))
    // Pipeline: text in, stored prediction out.
    const t = performance.now()
    const vectors = await embedder.embed(chunk)
    const t1 = performance.now()
    const probs = await classify(chunk, vectors)
    const t2 = performance.now()
    const C = head.classes.length
    for (let b = 0; b < chunk.length; b += 64) {
      const rows = Math.min(64, chunk.length - b)
      store(start + b, probs.subarray(b * C, (b + rows) * C), vectors.subarray(b * embedder.dimension, (b + rows) * embedder.dimension), rows)
    }
    const t3 = performance.now()
    pipelineSeconds += (t3 - t) / 1000
    stages.embed += (t1 - t) / 1000
    stages.classify += (t2 - t1) / 1000
    stages.store += (t3 - t2) / 1000
    pipelineVectors.set(vectors, start * embedder.dimension)
  }

  const latencies: number[] = []
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const text = texts[(i * 7919) % texts.length]!
    let t = performance.now()
    const v = await embedder.embed([text])
    await classify([text], v)
    latencies.push(performance.now() - t)
  }
  latencies.sort((a, b) => a - b)
  db.close()
  rmSync(dbDir, { recursive: true, force: true })
  await Promise.all(bareWorkers.map((b) => b.worker.terminate()))
  await headSession.release()
  await embedder.close()
  // After the timed runs and with the pipeline's workers gone: the reference pass is not in any rate.
  const fidelity = await fidelityToFp32(name, embedder.providerNotes, texts, pipelineVectors, embedder.dimension)
  const tps = texts.length / pipelineSeconds
  const bare = texts.length / bareSeconds
  return {
    model: name,
    tickets_per_s: Number(tps.toFixed(1)),
    bare_tickets_per_s: Number(bare.toFixed(1)),
    ratio: Number((tps / bare).toFixed(3)),
    cosine_to_fp32: fidelity.cosine === null ? null : Number(fidelity.cosine.toFixed(4)),
    fp32_reference: fidelity.reference,
    p50_ms: Number(percentile(latencies, 0.5).toFixed(2)),
    p95_ms: Number(percentile(latencies, 0.95).toFixed(2)),
    cores: availableParallelism(),
    provider: embedder.provider,
    workers,
    batch_size: batchSize,
    tickets: texts.length,
    mean_tokens: Number((tokens / texts.length).toFixed(1)),
    stage_seconds: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, Number(v.toFixed(2))]))
  }
}

const [texts] = readColumn(join(SPLIT, 'test.csv'), 'Document')
const [trainAll, labelsAll] = readColumn(join(SPLIT, 'train.csv'), 'Document')
const limit = Number(process.env.TRIAGE_BENCH_LIMIT ?? texts!.length)
const only = process.env.TRIAGE_BENCH_MODELS?.split(',')
const installed = listInstalledEmbedders().filter((e) => !only || only.includes(e.name))
if (installed.length === 0) {
  process.stderr.write('bench:infer: no embedder installed (set TRIAGE_MODELS_DIR)\n')
  process.exitCode = 1
}
for (const e of installed) {
  process.stderr.write(`bench:infer: ${e.name}\n`)
  const line = await benchModel(e.name, texts!.slice(0, limit), trainAll!.slice(0, 1500), labelsAll!.slice(0, 1500))
  process.stdout.write(`${JSON.stringify(line)}\n`)
}
