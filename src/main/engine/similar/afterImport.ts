// The similar-tickets step of an import: embed what the import added or changed and mark near-duplicates.
import type { Db } from '../store/database.ts'
import { readSettings } from '../store/settingsRepo.ts'
import { forgetVectors, indexTickets, markNearDuplicates, type IndexOptions } from './similarService.ts'

export interface AfterImportSummary {
  readonly embedder: string
  /** Tickets embedded (the import's, plus any older ones still without a vector). */
  readonly indexed: number
  /** Tickets of this import linked to an earlier near-identical ticket. */
  readonly nearDuplicates: number
  readonly seconds: number
  readonly cancelled: boolean
}

/**
 * Finds the tickets import `importId` inserted (`import_id`) or updated (`last_import_id` and an
 * `updated_at` from this import's run; a ticket only touched as an exact duplicate keeps its older
 * `updated_at`), drops the stale vectors of the updated ones, indexes every ticket that lacks a vector
 * (so a model installed since the last import covers the older tickets too, and near-duplicates are
 * looked for among all of them), then marks near-duplicates among the import's tickets.
 */
export interface AfterImportOptions extends IndexOptions {
  /** Near-duplicate marking: tickets of the import looked at so far, of `total`. */
  readonly onDuplicates?: ((done: number, total: number) => void) | undefined
}

export async function afterImportSimilar(db: Db, importId: number, options: AfterImportOptions = {}): Promise<AfterImportSummary> {
  const started = performance.now()
  const inserted = db.prepare<[number], { id: number }>('SELECT id FROM tickets WHERE import_id = ?').all(importId)
  const updated = db
    .prepare<[number], { id: number }>(
      `SELECT t.id FROM tickets t JOIN imports i ON i.id = t.last_import_id
       WHERE t.last_import_id = ? AND t.import_id <> i.id AND t.updated_at >= i.started_at`
    )
    .all(importId)
  forgetVectors(db, updated.map((r) => r.id))
  const summary = await indexTickets(db, undefined, { signal: options.signal, onProgress: options.onProgress })
  const changed = [...inserted, ...updated].map((r) => r.id)
  const nearDuplicates = summary.cancelled
    ? 0
    : await markNearDuplicates(db, changed, readSettings(db).duplicateThreshold, options.signal, options.onDuplicates)
  return {
    embedder: summary.embedder,
    indexed: summary.indexed,
    nearDuplicates,
    seconds: (performance.now() - started) / 1000,
    cancelled: summary.cancelled || (options.signal?.aborted ?? false)
  }
}
