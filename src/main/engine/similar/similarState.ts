// What the similar-tickets service keeps per open database: the active embedder (loaded once), one
// in-memory SimilarIndex per embedder (loaded lazily from the embeddings table, then kept up to date
// incrementally), and a queue so that two indexing runs never embed the same tickets twice.
import { EngineError } from '../../../shared/errors.ts'
import type { Db } from '../store/database.ts'
import { readSettings } from '../store/settingsRepo.ts'
import type { SimilarIndex } from './similarIndex.ts'
import { openOnnxTicketEmbedder, openTicketEmbedder, type TicketEmbedder } from './ticketEmbedder.ts'
import { loadIndexFromDb } from './vectorStore.ts'

export interface SimilarConfig {
  /** The data folder's models dir; TRIAGE_MODELS_DIR is searched first either way. */
  readonly modelsDir?: string | undefined
}

interface SimilarState {
  config: SimilarConfig
  embedder: Promise<TicketEmbedder> | undefined
  /** Other embedders loaded by name: a head trained with a model that is no longer the active one still needs its vectors. */
  readonly named: Map<string, Promise<TicketEmbedder>>
  readonly indexes: Map<string, SimilarIndex>
  queue: Promise<unknown>
}

const states = new WeakMap<Db, SimilarState>()

function stateOf(db: Db): SimilarState {
  let s = states.get(db)
  if (!s) {
    s = { config: {}, embedder: undefined, named: new Map(), indexes: new Map(), queue: Promise.resolve() }
    states.set(db, s)
  }
  return s
}

/** Where to look for models in this database's engine; call before the first similar request. */
export function configureSimilar(db: Db, config: SimilarConfig): void {
  stateOf(db).config = config
}

export function activeEmbedder(db: Db): Promise<TicketEmbedder> {
  const s = stateOf(db)
  if (!s.embedder) {
    const { executionProvider: provider, embedder: preferred } = readSettings(db)
    s.embedder = openTicketEmbedder(db, { modelsDir: s.config.modelsDir, provider, preferred })
    // A failed open (not a missing model: that falls back) is retried on the next request.
    s.embedder.catch(() => {
      s.embedder = undefined
    })
  }
  return s.embedder
}

/**
 * The embedder called `name`: the active one when it is that one, else that model loaded on its own.
 * MODEL_UNAVAILABLE when it is not installed or does not load (the active embedder would fall back to
 * TF-IDF; vectors for a head must come from the model it was trained with, or not at all).
 */
export async function embedderNamed(db: Db, name: string): Promise<TicketEmbedder> {
  const active = await activeEmbedder(db)
  if (active.name === name) return active
  const s = stateOf(db)
  let loading = s.named.get(name)
  if (!loading) {
    const provider = readSettings(db).executionProvider
    loading = openOnnxTicketEmbedder(name, { modelsDir: s.config.modelsDir, provider }).catch((err: unknown) => {
      s.named.delete(name)
      throw new EngineError('MODEL_UNAVAILABLE', `The embedder ${name} cannot be loaded: ${err instanceof Error ? err.message : String(err)}`)
    })
    s.named.set(name, loading)
  }
  return loading
}

/**
 * After the embedder or provider setting changed: every loaded embedder is released once the runs
 * queued before have finished, and the next request loads them as the settings now say.
 */
export function reloadEmbedders(db: Db): Promise<void> {
  const s = stateOf(db)
  return serialised(db, async () => {
    const loaded = [s.embedder, ...s.named.values()]
    s.embedder = undefined
    s.named.clear()
    for (const e of loaded) await (await e?.catch(() => undefined))?.close()
  })
}

/**
 * After a model is installed: when similar tickets run on the built-in fallback, drop it so the next
 * request loads the new model; returns whether it did. A loaded ONNX model stays until the next start,
 * so an indexing run in progress never changes embedder half-way.
 */
export async function switchFromFallback(db: Db, fallbackName: string): Promise<boolean> {
  const s = stateOf(db)
  const current = await s.embedder?.catch(() => undefined)
  if (current && current.name !== fallbackName) return false
  s.embedder = undefined
  await current?.close()
  return true
}

export function indexFor(db: Db, embedder: string): SimilarIndex {
  const s = stateOf(db)
  let index = s.indexes.get(embedder)
  if (!index) {
    index = loadIndexFromDb(db, embedder)
    s.indexes.set(embedder, index)
  }
  return index
}

/** Every in-memory index of this database (to drop stale vectors of a changed ticket from all of them). */
export function loadedIndexes(db: Db): Iterable<SimilarIndex> {
  return stateOf(db).indexes.values()
}

/** Runs `work` after every earlier queued run of this database has settled. */
export function serialised<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const s = stateOf(db)
  const run = s.queue.then(work, work)
  s.queue = run.catch(() => undefined)
  return run
}

/** Releases the ONNX session and forgets the indexes; the next request loads them again. */
export async function releaseSimilar(db: Db): Promise<void> {
  const s = states.get(db)
  if (!s) return
  states.delete(db)
  for (const loading of [s.embedder, ...s.named.values()]) await (await loading?.catch(() => undefined))?.close()
}
