// The embedder that similar tickets use in a database: the default installed ONNX model (else another
// installed one), or, when none is installed or none loads, the hashed TF-IDF fallback, so that similar
// tickets and near-duplicate marking work on a fresh, offline install.
import { createHash } from 'node:crypto'
import { listInstalledEmbedders } from '../inference/embedder.ts'
import { loadEmbedderPool } from '../inference/embedderPool.ts'
import type { ProviderChoice } from '../inference/executionProviders.ts'
import type { TfidfModel } from '../inference/tfidf.ts'
import type { Db } from '../store/database.ts'
import {
  TFIDF_DIMENSION,
  TFIDF_EMBEDDER,
  embedHashedTfidf,
  fitHashedIdfInSlices,
  readStoredIdf,
  storeIdf,
  type StoredIdf
} from './hashedTfidf.ts'

export interface TicketEmbedder {
  /** The name vectors are stored under in `embeddings.embedder`. */
  readonly name: string
  readonly dimension: number
  /** Why a preferred model was not used (missing, checksum, load failure), for doctor output and logs. */
  readonly notes: readonly string[]
  /** The ONNX execution provider in use (absent for the built-in TF-IDF fallback). */
  readonly provider?: string
  /** Row-major texts.length × dimension. `signal` drops the work not yet started (an AbortError). */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array>
  /**
   * For embedders fitted on the tickets themselves (TF-IDF): refits when the store has outgrown the data
   * the embedder was fitted on, and resolves true, meaning every vector made before must be made again.
   */
  refitIfOutgrown?(): Promise<boolean>
  close(): Promise<void>
}

export interface TicketEmbedderOptions {
  readonly modelsDir?: string | undefined
  readonly provider?: ProviderChoice | undefined
  /** Tried first (the `embedder` setting); when it is missing or fails, the usual order follows, with a note. */
  readonly preferred?: string | null | undefined
}

/** One installed ONNX embedder, in worker threads (one per core): embedding blocks its thread per batch, and the engine must keep answering. */
export async function openOnnxTicketEmbedder(name: string, options: TicketEmbedderOptions = {}, notes: readonly string[] = []): Promise<TicketEmbedder> {
  const onnx = await loadEmbedderPool(name, {
    ...(options.modelsDir ? { modelsDir: options.modelsDir } : {}),
    ...(options.provider ? { provider: options.provider } : {})
  })
  return { name: onnx.name, dimension: onnx.dimension, notes: [...notes, ...onnx.providerNotes], provider: onnx.provider, embed: (t, signal) => onnx.embed(t, signal), close: () => onnx.close() }
}

export async function openTicketEmbedder(db: Db, options: TicketEmbedderOptions = {}): Promise<TicketEmbedder> {
  const notes: string[] = []
  const installed = listInstalledEmbedders(options.modelsDir)
  const preferred = options.preferred
  if (preferred && !installed.some((e) => e.name === preferred)) notes.push(`${preferred} (chosen in settings): not installed`)
  const order = [...installed].sort((a, b) => Number(b.name === preferred) - Number(a.name === preferred))
  for (const { name } of order) {
    try {
      return await openOnnxTicketEmbedder(name, options, notes)
    } catch (err) {
      // A corrupt or mismatched model must not take similar tickets away: note it and try the next.
      notes.push(`${name}: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  if (installed.length === 0) notes.push('no sentence-embedding model is installed')
  return new TfidfTicketEmbedder(db, notes)
}

/** Tickets sampled to fit the IDF: plenty for stable document frequencies, bounded memory on 1M-ticket stores. */
const IDF_SAMPLE = 20_000
/**
 * Refit once the store holds this many times the tickets the IDF saw (and at least 200): a first import
 * of ten sample tickets must not fix the weights for the next 50,000. Growth is geometric, so the
 * re-embedding this causes costs about a third of the final count in total, at ~2,000 tickets/s.
 */
const REFIT_GROWTH = 4
const REFIT_MIN_DOCUMENTS = 50

class TfidfTicketEmbedder implements TicketEmbedder {
  readonly name = TFIDF_EMBEDDER
  readonly dimension = TFIDF_DIMENSION
  private model: TfidfModel | undefined

  constructor(
    private readonly db: Db,
    readonly notes: readonly string[]
  ) {
    this.model = loadIdf(db)
  }

  private fitting: Promise<TfidfModel> | undefined

  async embed(texts: string[]): Promise<Float32Array> {
    this.model ??= await this.fit(texts)
    return embedHashedTfidf(this.model, texts)
  }

  async refitIfOutgrown(): Promise<boolean> {
    if (!this.model || this.model.documents >= IDF_SAMPLE) return false
    const tickets = (this.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n
    if (tickets < REFIT_GROWTH * Math.max(this.model.documents, REFIT_MIN_DOCUMENTS)) return false
    this.model = await this.fit([])
    return true
  }

  /** One fit at a time: two calls waiting for the first fit must get the same weights. */
  private fit(fallbackTexts: readonly string[]): Promise<TfidfModel> {
    this.fitting ??= fitAndSaveIdf(this.db, fallbackTexts).finally(() => (this.fitting = undefined))
    return this.fitting
  }

  async close(): Promise<void> {}
}

// The IDF lives in the models table as the embedder's one version: it is part of what the vectors mean.
function loadIdf(db: Db): TfidfModel | undefined {
  const row = db
    .prepare<[string], { params: string }>("SELECT params FROM models WHERE kind = 'embedder' AND name = ? ORDER BY version DESC LIMIT 1")
    .get(TFIDF_EMBEDDER)
  if (!row) return undefined
  try {
    return readStoredIdf(JSON.parse(row.params) as StoredIdf)
  } catch {
    // Unreadable: refit. Old vectors then mix weightings until re-indexed, which beats no similar tickets.
    return undefined
  }
}

async function fitAndSaveIdf(db: Db, fallbackTexts: readonly string[]): Promise<TfidfModel> {
  const rows = db
    .prepare<[number], { subject: string; body: string }>('SELECT subject, body FROM tickets ORDER BY random() LIMIT ?')
    .all(IDF_SAMPLE)
  const texts = rows.length > 0 ? rows.map((r) => ticketText(r.subject, r.body)) : fallbackTexts
  // In slices, letting requests in between: a full sample took the engine's thread for over a second.
  const model = await fitHashedIdfInSlices(texts, () => new Promise((resolve) => setImmediate(resolve)))
  const params = JSON.stringify(storeIdf(model))
  db.prepare(
    `INSERT INTO models (kind, name, target, version, sha256, files, params, metrics, active, created_at)
     VALUES ('embedder', ?, NULL, 1, ?, '[]', ?, ?, 0, ?)
     ON CONFLICT (kind, name, version) DO UPDATE SET sha256 = excluded.sha256, params = excluded.params, metrics = excluded.metrics`
  ).run(
    TFIDF_EMBEDDER,
    createHash('sha256').update(params).digest('hex'),
    params,
    JSON.stringify({ documents: model.documents }),
    new Date().toISOString()
  )
  return model
}

/** What a ticket's vector is computed from. */
export function ticketText(subject: string, body: string): string {
  return `${subject}\n${body}`
}
