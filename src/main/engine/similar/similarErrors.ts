/**
 * Errors of the similar-tickets index. Each carries a stable `code` so the UI and the CLI can
 * react to the kind of failure (show "no embeddings yet" instead of a stack trace) without parsing
 * messages, and a message a support agent can act on.
 */
export type SimilarErrorCode =
  /** A similarity query before any vectors exist (nothing imported or embedded yet). */
  | 'SIMILAR_EMPTY_INDEX'
  /** A vector whose length differs from the index's dimension (usually a different embedder). */
  | 'SIMILAR_DIMENSION_MISMATCH'
  /** A zero, NaN or infinite vector: cosine similarity is undefined for it. */
  | 'SIMILAR_INVALID_VECTOR'
  /** The vectors do not fit in memory (or beyond the 4 GiB a WebAssembly memory can address). */
  | 'SIMILAR_OUT_OF_MEMORY'
  /** A bad call: negative or fractional k, ids and matrix of different lengths, bad options. */
  | 'SIMILAR_INVALID_ARGUMENT'

export class SimilarIndexError extends Error {
  readonly code: SimilarErrorCode

  constructor(code: SimilarErrorCode, message: string) {
    super(message)
    this.name = 'SimilarIndexError'
    this.code = code
  }
}

export function isSimilarIndexError(err: unknown, code?: SimilarErrorCode): err is SimilarIndexError {
  return err instanceof SimilarIndexError && (code === undefined || err.code === code)
}

/** The width of a row-major matrix holding one row per id; refuses a matrix that is not whole rows. */
export function rowDimension(rows: number, values: number): number {
  if (values % rows !== 0) {
    throw new SimilarIndexError('SIMILAR_INVALID_ARGUMENT', `The matrix holds ${values} numbers, not a whole number of rows for ${rows} ids.`)
  }
  return values / rows
}
