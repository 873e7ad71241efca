// What the similar-tickets service keeps per open database: the active embedder (loaded once), one
// in-memory SimilarIndex per embedder (loaded lazily from the embeddings table, then kept up to date
// incrementally), and a queue so that two indexing runs never embed the same tickets twice.
import type { Db } from '../store/database.ts'
import { readSettings } from '../store/settingsRepo.ts'
import type { SimilarIndex } from './similarIndex.ts'
import { openTicketEmbedder, type TicketEmbedder } from './ticketEmbedder.ts'
import { loadIndexFromDb } from './vectorStore.ts'

export interface SimilarConfig {
  /** The data folder's models dir; TRIAGE_MODELS_DIR is searched first either way. */
  readonly modelsDir?: string | undefined
}

interface SimilarState {
  config: SimilarConfig
  embedder: Promise<TicketEmbedder> | undefined
  readonly indexes: Map<string, SimilarIndex>
  queue: Promise<unknown>
}

const states = new WeakMap<Db, SimilarState>()

function stateOf(db: Db): SimilarState {
  let s = states.get(db)
  if (!s) {
    s = { config: {}, embedder: undefined, indexes: new Map(), queue: Promise.resolve() }
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
    const provider = readSettings(db).executionProvider
    s.embedder = openTicketEmbedder(db, { modelsDir: s.config.modelsDir, provider })
    // A failed open (not a missing model: that falls back) is retried on the next request.
    s.embedder.catch(() => {
      s.embedder = undefined
    })
  }
  return s.embedder
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
  const embedder = await s.embedder?.catch(() => undefined)
  await embedder?.close()
}
