// Similar tickets in the product: index tickets with the active embedder (incrementally, in batches,
// persisted), answer "tickets like this one / like this text", and mark near-duplicates on import.
import { EngineError } from '../../../shared/errors.ts'
import type { IndexSummary, SimilarResult } from '../../../shared/similar.ts'
import type { Db } from '../store/database.ts'
import { TFIDF_EMBEDDER } from './hashedTfidf.ts'
import { similarHits } from './similarHits.ts'
import type { SimilarIndex } from './similarIndex.ts'
import { activeEmbedder, embedderNamed, indexFor, loadedIndexes, serialised } from './similarState.ts'
import { ticketText } from './ticketEmbedder.ts'
import { saveVectors } from './vectorStore.ts'

export interface IndexProgress {
  /** Tickets embedded so far in this run. */
  readonly rows: number
  readonly total: number
  readonly rowsPerSec: number
  readonly percent: number
}

export interface IndexOptions {
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((p: IndexProgress) => void) | undefined
  /** Texts per embed call: the ONNX embedder sorts each call by length and runs it in sub-batches of 64. */
  readonly batchSize?: number
  /** Index with this embedder (the one a head was trained with) instead of the active one. */
  readonly embedder?: string | undefined
}

/**
 * Texts per embed call. The pool cuts a call into shards of 256 for its workers, so a call must hold
 * several shards to keep every core busy (one of 256 left all but one worker idle: the index job ran at
 * about half the pipeline's rate on two cores).
 */
const INDEX_BATCH = 1024
/** The built-in TF-IDF embedder runs on the engine's own thread (~2,000 texts/s): small batches keep each stretch short. */
const TFIDF_BATCH = 128

/**
 * Computes and saves vectors for the tickets that have none for the active embedder: `ticketIds`, or
 * every such ticket. Each batch is saved in one transaction and added to the in-memory index (the
 * rest of the index is untouched), so a cancel or crash keeps the finished batches. Cancelling ends
 * the run after the current batch with `cancelled: true`.
 */
export function indexTickets(db: Db, ticketIds?: readonly number[], options: IndexOptions = {}): Promise<IndexSummary> {
  return serialised(db, async () => {
    const embedder = options.embedder ? await embedderNamed(db, options.embedder) : await activeEmbedder(db)
    const index = indexFor(db, embedder.name)
    // After a refit every stored vector is outdated. The in-memory ones keep answering until replaced,
    // so similar tickets stay available while the (fast) re-embedding runs.
    if (await embedder.refitIfOutgrown?.()) db.prepare('DELETE FROM embeddings WHERE embedder = ?').run(embedder.name)
    const todo = ticketsWithoutVector(db, embedder.name, ticketIds)
    const started = performance.now()
    const batchSize = options.batchSize ?? (embedder.name === TFIDF_EMBEDDER ? TFIDF_BATCH : INDEX_BATCH)
    const textOf = db.prepare<[string], { id: number; subject: string; body: string }>(
      'SELECT id, subject, body FROM tickets WHERE id IN (SELECT value FROM json_each(?))'
    )
    let done = 0
    let cancelled = false
    const signal = options.signal
    // Re-read the rows: a ticket deleted since the list was made simply drops out.
    const start = (at: number): { ids: number[]; vectors: Promise<Float32Array> } => {
      const rows = textOf.all(JSON.stringify(todo.slice(at, at + batchSize)))
      const vectors = embedder.embed(
        rows.map((r) => ticketText(r.subject, r.body)),
        signal
      )
      // Awaited below; a failure surfaces there, not as an unhandled rejection meanwhile.
      vectors.catch(() => undefined)
      return { ids: rows.map((r) => r.id), vectors }
    }
    if (signal?.aborted && todo.length > 0) cancelled = true
    let next = todo.length > 0 && !cancelled ? start(0) : undefined
    for (let at = 0; next && at < todo.length; at += batchSize) {
      const current = next
      // The next batch is queued behind this one before it ends, so no worker idles while the last
      // shards of a batch finish on the others (with one batch at a time the index job ran at 0.77-0.92
      // of the embedder's own rate on two cores), and the workers never wait for SQLite.
      next = at + batchSize < todo.length && !signal?.aborted ? start(at + batchSize) : undefined
      let vectors: Float32Array
      try {
        vectors = await current.vectors
      } catch (err) {
        // Cancelled: the shards no worker had started were dropped; the finished batches are kept.
        if (signal?.aborted) {
          cancelled = true
          break
        }
        throw err
      }
      const ids = current.ids
      saveVectors(db, embedder.name, ids, vectors)
      addToIndex(index, ids, vectors)
      done += ids.length
      const seconds = (performance.now() - started) / 1000
      options.onProgress?.({
        rows: done,
        total: todo.length,
        rowsPerSec: seconds > 0 ? Math.round(done / seconds) : 0,
        percent: Math.round((100 * Math.min(at + batchSize, todo.length)) / todo.length)
      })
      if (signal?.aborted && at + batchSize < todo.length) {
        cancelled = true
        break
      }
      // The built-in embedder runs on this thread and resolves at once: let requests in between batches.
      await new Promise((resolve) => setImmediate(resolve))
    }
    // Cancelled with a batch in flight: wait for the shards the workers hold, so they are free after.
    await next?.vectors.catch(() => undefined)
    const seconds = (performance.now() - started) / 1000
    return {
      embedder: embedder.name,
      indexed: done,
      total: index.size,
      seconds,
      rowsPerSec: seconds > 0 ? Math.round(done / seconds) : 0,
      cancelled
    }
  })
}

function ticketsWithoutVector(db: Db, embedder: string, ticketIds: readonly number[] | undefined): number[] {
  const missing = 'NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.ticket_id = t.id AND e.embedder = ?)'
  const rows = ticketIds
    ? db
        .prepare<[string, string], { id: number }>(
          `SELECT t.id FROM tickets t WHERE t.id IN (SELECT value FROM json_each(?)) AND ${missing} ORDER BY t.id`
        )
        .all(JSON.stringify(ticketIds), embedder)
    : db.prepare<[string], { id: number }>(`SELECT t.id FROM tickets t WHERE ${missing} ORDER BY t.id`).all(embedder)
  return rows.map((r) => r.id)
}

function addToIndex(index: SimilarIndex, ids: readonly number[], vectors: Float32Array): void {
  try {
    index.addMany(ids, vectors)
  } catch {
    // addMany is all-or-nothing; one bad row (a NaN from a broken model) must not drop the batch.
    const dim = vectors.length / Math.max(1, ids.length)
    ids.forEach((id, r) => {
      try {
        index.add(id, vectors.subarray(r * dim, (r + 1) * dim))
      } catch {
        // Left out of the in-memory index; the saved row is skipped again by loadIndexFromDb.
      }
    })
  }
}

/**
 * Drops the vectors of tickets whose text changed, in the table (every embedder) and in memory, so the
 * next indexing run embeds the new text.
 */
export function forgetVectors(db: Db, ticketIds: readonly number[]): void {
  if (ticketIds.length === 0) return
  db.prepare('DELETE FROM embeddings WHERE ticket_id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ticketIds))
  for (const index of loadedIndexes(db)) for (const id of ticketIds) index.remove(id)
}

export type SimilarQuery = { readonly ticketId: number } | { readonly text: string }

export interface SimilarQueryOptions {
  /** Brute-force float32 scan instead of int8 scan + float32 re-rank. */
  readonly exact?: boolean | undefined
}

export async function similarTickets(
  db: Db,
  query: SimilarQuery,
  k: number,
  target?: string,
  options: SimilarQueryOptions = {}
): Promise<SimilarResult> {
  const exact = options.exact ?? false
  // Without a letter or digit every embedder returns a vector of nothing in particular; its "neighbours" would mislead.
  if ('text' in query && !/[\p{L}\p{N}]/u.test(query.text)) {
    throw new EngineError('BAD_REQUEST', 'The text has nothing to compare (no letters or digits); type a few words of a ticket.')
  }
  let ticket: { id: number; subject: string; body: string } | undefined
  if ('ticketId' in query) {
    ticket = db
      .prepare<[number], { id: number; subject: string; body: string }>('SELECT id, subject, body FROM tickets WHERE id = ?')
      .get(query.ticketId)
    if (!ticket) throw new EngineError('NOT_FOUND', `No ticket ${query.ticketId}.`, { ticketId: query.ticketId })
  }
  const embedder = await activeEmbedder(db)
  const index = indexFor(db, embedder.name)
  if (index.size === 0) throw notReady(db, embedder.name)
  // A ticket not indexed yet (its import is still embedding) is embedded on the fly, not saved here.
  const vector = ticket
    ? (index.vectorOf(ticket.id) ?? (await embedder.embed([ticketText(ticket.subject, ticket.body)])))
    : await embedder.embed(['text' in query ? query.text : ''])
  const hits = index.search(vector, k, { exact, ...(ticket ? { excludeIds: new Set([ticket.id]) } : {}) })
  return { embedder: embedder.name, exact, hits: similarHits(db, hits, target) }
}

function notReady(db: Db, embedder: string): EngineError {
  const tickets = (db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n
  const message =
    tickets === 0
      ? 'There are no tickets to compare with yet: import a CSV export first.'
      : `No ticket has been indexed for similar tickets yet (${tickets} tickets waiting for ${embedder}): wait for indexing to finish, or start it (similar.index / triage similar).`
  return new EngineError('SIMILAR_NOT_READY', message, { tickets, embedder })
}

/**
 * For each ticket in `ticketIds`, finds the most similar EARLIER ticket (smaller id, i.e. imported
 * before it, or before it in the same file) and records it in `tickets.duplicate_of` with its score
 * when the cosine is at least `threshold`; otherwise clears the link (the text may have changed).
 * Indexes the given tickets first if needed. Returns how many were marked.
 */
const NEAR_DUPLICATE_CANDIDATES = 16
const LINK_WRITE_ROWS = 1000

/** Longest stretch of near-duplicate searching between two chances for requests to be answered. */
const YIELD_AFTER_MS = 20

export async function markNearDuplicates(
  db: Db,
  ticketIds: readonly number[],
  threshold: number,
  signal?: AbortSignal,
  onProgress?: (done: number, total: number) => void
): Promise<number> {
  if (ticketIds.length === 0) return 0
  const summary = await indexTickets(db, ticketIds, { signal })
  if (summary.cancelled) return 0
  const index = indexFor(db, summary.embedder)
  const links: [number | null, number | null, number][] = []
  const sorted = [...ticketIds].sort((a, b) => a - b)
  let slice = performance.now()
  for (let i = 0; i < sorted.length; i++) {
    // Each search scans the whole index (milliseconds on a large store): yield by time, not by count, so
    // the engine answers requests between slices however large the store (200 searches over 48k tickets
    // held the engine for seconds).
    if (performance.now() - slice > YIELD_AFTER_MS) {
      await new Promise((resolve) => setImmediate(resolve))
      slice = performance.now()
      if (signal?.aborted) break
      onProgress?.(i, sorted.length)
    }
    const id = sorted[i]!
    const vector = index.vectorOf(id)
    if (!vector) continue
    // Only the best one counts, and only when it is a near-copy (a score far above int8's ~1e-3 error):
    // a few candidates re-ranked are enough, and the scan's bookkeeping of 256 was a third of its time.
    const [best] = index.search(vector, 1, { filter: (other) => other < id, rerankCandidates: NEAR_DUPLICATE_CANDIDATES })
    links.push(best && best.score >= threshold ? [best.id, best.score, id] : [null, null, id])
  }
  const link = db.prepare('UPDATE tickets SET duplicate_of = ?, duplicate_score = ? WHERE id = ?')
  const write = db.transaction((part: typeof links) => {
    for (const l of part) link.run(...l)
  })
  // In parts with requests in between: one transaction over 20,000 tickets held the engine for a second.
  for (let at = 0; at < links.length; at += LINK_WRITE_ROWS) {
    if (at > 0) await new Promise((resolve) => setImmediate(resolve))
    write(links.slice(at, at + LINK_WRITE_ROWS))
  }
  return links.filter((l) => l[0] !== null).length
}
