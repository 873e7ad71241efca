/**
 * Similar-tickets benchmark: top-10 cosine queries against ≥ 100,000 ticket vectors.
 * Prints ONE JSON line on stdout (progress goes to stderr):
 *   n, dim, p50_ms, p95_ms (default mode: int8 scan + float32 re-rank), exact_p50_ms, exact_p95_ms
 *   (brute-force float32), recall_at_10 (default vs exact), build_per_s (vectors added per second,
 *   normalisation and quantisation included), persist_per_s / load_per_s (SQLite), source, kernel.
 *
 * Vectors: real embeddings of it-service test tickets (default embedder, TRIAGE_MODELS_DIR) repeated
 * with small random perturbation to reach n; queries are embeddings of held-out tickets whose text
 * is not in the indexed set. Without a loadable embedder: clustered synthetic unit vectors.
 * Env: BENCH_SIMILAR_N (default 100000), BENCH_SIMILAR_BASE (real tickets embedded, default 4000),
 * BENCH_SIMILAR_QUERIES (default 300), BENCH_SIMILAR_SYNTHETIC=1 to skip the embedder.
 */
import Database from 'better-sqlite3'
import { parse } from 'csv-parse/sync'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SimilarIndex } from '../src/main/engine/similar/similarIndex.ts'
import { clusteredMatrix, gaussian, seededRandom } from '../src/main/engine/similar/testVectors.ts'
import { loadIndexFromDb, saveVectors } from '../src/main/engine/similar/vectorStore.ts'

const N = Number(process.env.BENCH_SIMILAR_N ?? 100_000)
const BASE = Number(process.env.BENCH_SIMILAR_BASE ?? 4000)
const QUERIES = Number(process.env.BENCH_SIMILAR_QUERIES ?? 300)
const EMBEDDER = 'all-minilm-l6-v2-int8'
const K = 10
const WARMUP = 20
/** Norm of the noise added to each copy of a real vector (cosine to the original ≈ 0.97). */
const PERTURBATION = 0.25

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const sharedDir = join(root, '..', 'shared')
const log = (msg: string): void => void process.stderr.write(`[bench:similar] ${msg}\n`)

interface VectorSet {
  source: string
  dim: number
  base: Float32Array
  baseRows: number
  queries: Float32Array
}

function ticketTexts(): string[] {
  const file = join(sharedDir, 'datasets', 'it-service-tickets', 'split', 'test.csv')
  const records = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[]
  const seen = new Set<string>()
  const texts: string[] = []
  for (const r of records) {
    const text = (r.Document ?? '').trim()
    if (text && !seen.has(text)) {
      seen.add(text)
      texts.push(text)
    }
  }
  // Deterministic shuffle so base and held-out queries are both spread over the file.
  const random = seededRandom(42)
  for (let i = texts.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[texts[i], texts[j]] = [texts[j] as string, texts[i] as string]
  }
  return texts
}

async function realVectors(): Promise<VectorSet> {
  const { loadEmbedder } = await import('../src/main/engine/inference/embedder.ts')
  const embedder = await loadEmbedder(EMBEDDER, { modelsDir: process.env.TRIAGE_MODELS_DIR ?? join(sharedDir, 'models') })
  try {
    const texts = ticketTexts()
    const baseTexts = texts.slice(0, BASE)
    const queryTexts = texts.slice(BASE, BASE + QUERIES)
    if (baseTexts.length < BASE || queryTexts.length < QUERIES) throw new Error(`only ${texts.length} distinct tickets`)
    const t0 = performance.now()
    const base = await embedder.embed(baseTexts)
    const queries = await embedder.embed(queryTexts)
    log(`embedded ${BASE + QUERIES} tickets in ${((performance.now() - t0) / 1000).toFixed(1)} s (${embedder.provider})`)
    const copies = Math.ceil(N / BASE)
    return { source: `it-service test ×${copies} perturbed (${BASE} real tickets, ${EMBEDDER})`, dim: embedder.dimension, base, baseRows: BASE, queries }
  } finally {
    await embedder.close()
  }
}

function syntheticVectors(): VectorSet {
  const dim = 384
  const all = clusteredMatrix(N + QUERIES, dim, 2000, 1.0, 7)
  return { source: 'synthetic', dim, base: all.subarray(0, N * dim), baseRows: N, queries: all.subarray(N * dim) }
}

/** n rows cycling over the base rows, each moved by a random vector of norm ≈ PERTURBATION, then renormalised. */
function expand(set: VectorSet): Float32Array {
  const { dim, base, baseRows } = set
  if (baseRows >= N) return base.subarray(0, N * dim)
  const normal = gaussian(seededRandom(9))
  const sigma = PERTURBATION / Math.sqrt(dim)
  const out = new Float32Array(N * dim)
  for (let r = 0; r < N; r++) {
    const src = (r % baseRows) * dim
    let norm = 0
    for (let j = 0; j < dim; j++) {
      const x = (base[src + j] as number) + sigma * normal()
      out[r * dim + j] = x
      norm += x * x
    }
    const inv = 1 / Math.sqrt(norm)
    for (let j = 0; j < dim; j++) out[r * dim + j] = (out[r * dim + j] as number) * inv
  }
  return out
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits))

async function main(): Promise<void> {
  let set: VectorSet
  if (process.env.BENCH_SIMILAR_SYNTHETIC === '1') set = syntheticVectors()
  else {
    try {
      set = await realVectors()
    } catch (err) {
      log(`embedder unavailable, using synthetic vectors: ${err instanceof Error ? err.message : String(err)}`)
      set = syntheticVectors()
    }
  }
  const { dim } = set
  const matrix = expand(set)
  const ids = Array.from({ length: N }, (_, i) => i + 1)

  // Build in import-sized batches, the way tickets arrive.
  const index = new SimilarIndex(dim)
  const batch = 1000
  let t0 = performance.now()
  for (let r = 0; r < N; r += batch) {
    const end = Math.min(N, r + batch)
    index.addMany(ids.slice(r, end), matrix.subarray(r * dim, end * dim))
  }
  const buildPerS = N / ((performance.now() - t0) / 1000)
  log(`built ${N} × ${dim} in ${((performance.now() - t0) / 1000).toFixed(2)} s, kernel ${index.kernel}`)

  const dir = mkdtempSync(join(tmpdir(), 'bench-similar-'))
  let persistPerS: number
  let loadPerS: number
  try {
    const db = new Database(join(dir, 'bench.sqlite'))
    db.pragma('journal_mode = WAL')
    db.exec(`CREATE TABLE embeddings (ticket_id INTEGER NOT NULL, embedder TEXT NOT NULL, dim INTEGER NOT NULL,
      vector BLOB NOT NULL, PRIMARY KEY (ticket_id, embedder)) STRICT`)
    t0 = performance.now()
    saveVectors(db, EMBEDDER, ids, matrix)
    persistPerS = N / ((performance.now() - t0) / 1000)
    t0 = performance.now()
    const loaded = loadIndexFromDb(db, EMBEDDER)
    loadPerS = loaded.size / ((performance.now() - t0) / 1000)
    db.close()
    log(`SQLite: saved ${Math.round(persistPerS)}/s, loaded ${Math.round(loadPerS)}/s`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  const queryCount = set.queries.length / dim
  const query = (q: number): Float32Array => set.queries.subarray(q * dim, (q + 1) * dim)
  for (let q = 0; q < Math.min(WARMUP, queryCount); q++) {
    index.search(query(q), K)
    index.search(query(q), K, { exact: true })
  }
  const fast: number[] = []
  const exact: number[] = []
  let found = 0
  for (let q = 0; q < queryCount; q++) {
    let t = performance.now()
    const hits = index.search(query(q), K)
    fast.push(performance.now() - t)
    t = performance.now()
    const truth = new Set(index.search(query(q), K, { exact: true }).map((h) => h.id))
    exact.push(performance.now() - t)
    found += hits.filter((h) => truth.has(h.id)).length
  }

  const result = {
    n: index.size,
    dim,
    p50_ms: round(percentile(fast, 0.5)),
    p95_ms: round(percentile(fast, 0.95)),
    exact_p50_ms: round(percentile(exact, 0.5)),
    exact_p95_ms: round(percentile(exact, 0.95)),
    recall_at_10: round(found / (queryCount * K), 4),
    queries: queryCount,
    build_per_s: Math.round(buildPerS),
    persist_per_s: Math.round(persistPerS),
    load_per_s: Math.round(loadPerS),
    kernel: index.kernel,
    cores: availableParallelism(),
    source: set.source
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:similar failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
