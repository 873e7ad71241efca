import type { Database } from 'better-sqlite3'
import { endianness } from 'node:os'
import { SimilarIndex, type SimilarIndexOptions } from './similarIndex.ts'
import { rowDimension, SimilarIndexError } from './similarErrors.ts'

/**
 * Ticket vectors in SQLite: `embeddings(ticket_id, embedder, dim, vector BLOB)`, one row per ticket
 * and embedder, the vector as float32 little-endian (the layout NumPy, sqlite-vec and every x86/ARM
 * machine use natively, so encoding is a copy). The schema itself belongs to the store's migrations.
 */

const LITTLE_ENDIAN_HOST = endianness() === 'LE'

/** Float32 little-endian bytes of `vector[offset .. offset+dim)`. */
export function encodeVector(vector: Float32Array, offset = 0, dim = vector.length - offset): Buffer {
  if (LITTLE_ENDIAN_HOST) {
    // A copy, not a view: the caller may reuse the matrix before SQLite reads the bytes.
    return Buffer.from(new Uint8Array(vector.buffer, vector.byteOffset + offset * 4, dim * 4))
  }
  const out = Buffer.allocUnsafe(dim * 4)
  for (let j = 0; j < dim; j++) out.writeFloatLE(vector[offset + j] as number, j * 4)
  return out
}

/** The float32 vector in a BLOB written by encodeVector. */
export function decodeVector(blob: Uint8Array): Float32Array {
  if (blob.byteLength % 4 !== 0) {
    throw new SimilarIndexError('SIMILAR_INVALID_VECTOR', `A stored vector has ${blob.byteLength} bytes, not a whole number of float32 values.`)
  }
  const out = new Float32Array(blob.byteLength / 4)
  decodeInto(blob, out, 0)
  return out
}

/** Copies the BLOB's floats into target[offset ..]; copying also fixes the alignment SQLite's buffers lack. */
function decodeInto(blob: Uint8Array, target: Float32Array, offset: number): void {
  if (LITTLE_ENDIAN_HOST) {
    new Uint8Array(target.buffer, target.byteOffset + offset * 4, blob.byteLength).set(blob)
    return
  }
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength)
  for (let j = 0; j < blob.byteLength / 4; j++) target[offset + j] = view.getFloat32(j * 4, true)
}

/**
 * Upserts the vectors of `ids` (rows of a row-major ids.length × dim matrix) for `embedder`, in one
 * transaction: a crash leaves either all or none of them.
 */
export function saveVectors(db: Database, embedder: string, ids: ArrayLike<number>, matrix: Float32Array): void {
  if (ids.length === 0) return
  const dim = rowDimension(ids.length, matrix.length)
  const upsert = db.prepare(
    `INSERT INTO embeddings (ticket_id, embedder, dim, vector) VALUES (?, ?, ?, ?)
     ON CONFLICT (ticket_id, embedder) DO UPDATE SET dim = excluded.dim, vector = excluded.vector`
  )
  db.transaction(() => {
    for (let r = 0; r < ids.length; r++) upsert.run(ids[r], embedder, dim, encodeVector(matrix, r * dim, dim))
  })()
}

export function deleteVectors(db: Database, embedder: string, ids: Iterable<number>): void {
  const del = db.prepare('DELETE FROM embeddings WHERE ticket_id = ? AND embedder = ?')
  db.transaction(() => {
    for (const id of ids) del.run(id, embedder)
  })()
}

export interface LoadIndexOptions extends SimilarIndexOptions {
  /**
   * Called for each row that cannot be indexed (wrong dimension, truncated BLOB, zero or NaN
   * vector). Such rows are skipped, not fatal: one bad row must not take similar tickets away from
   * every other ticket. The app logs them and re-embeds those tickets.
   */
  onSkipped?: (ticketId: number, reason: string) => void
}

const BATCH_ROWS = 4096

/**
 * Builds a SimilarIndex from every stored vector of `embedder`, streaming rows with `.iterate()` and
 * adding them in batches (one growth of the matrix, bounded extra memory). The index takes the
 * dimension most rows carry; rows that disagree are skipped. No rows → an empty index (its first add
 * fixes the dimension; a search before that throws SIMILAR_EMPTY_INDEX).
 */
export function loadIndexFromDb(db: Database, embedder: string, options: LoadIndexOptions = {}): SimilarIndex {
  const { onSkipped, ...indexOptions } = options
  const first = db.prepare('SELECT dim, count(*) AS n FROM embeddings WHERE embedder = ? GROUP BY dim ORDER BY n DESC LIMIT 1')
    .get(embedder) as { dim: number; n: number } | undefined
  if (!first) return new SimilarIndex(undefined, indexOptions)
  const dim = first.dim
  const index = new SimilarIndex(dim, indexOptions)
  index.reserve(first.n)

  const ids = new Float64Array(BATCH_ROWS)
  const batch = new Float32Array(BATCH_ROWS * dim)
  let filled = 0
  const flush = (): void => {
    if (filled === 0) return
    try {
      index.addMany(ids.subarray(0, filled), batch.subarray(0, filled * dim))
    } catch {
      // A bad row fails its batch as a whole (addMany checks first); redo it row by row to skip only that row.
      for (let r = 0; r < filled; r++) {
        const id = ids[r] as number
        try {
          index.add(id, batch.subarray(r * dim, (r + 1) * dim))
        } catch (err) {
          onSkipped?.(id, err instanceof Error ? err.message : String(err))
        }
      }
    }
    filled = 0
  }

  const rows = db
    .prepare('SELECT ticket_id, dim, vector FROM embeddings WHERE embedder = ?')
    .raw(true)
    .iterate(embedder) as IterableIterator<[number | bigint, number, Uint8Array | null]>
  for (const [ticketId, rowDim, blob] of rows) {
    const id = Number(ticketId)
    if (rowDim !== dim || !blob || blob.byteLength !== dim * 4) {
      onSkipped?.(id, `stored vector has ${blob ? blob.byteLength / 4 : 0} values (dim ${rowDim}); the index holds ${dim}`)
      continue
    }
    ids[filled] = id
    decodeInto(blob, batch, filled * dim)
    if (++filled === BATCH_ROWS) flush()
  }
  flush()
  return index
}
