// Similar-ticket types shared by the engine, the CLI and the UI.

export interface SimilarTicket {
  readonly ticketId: number
  readonly externalId: string
  /** Cosine similarity of the two tickets' vectors, in [-1, 1]; 1 is the same text. */
  readonly score: number
  readonly subject: string
  readonly snippet: string
  readonly created: string | null
  /** The current label for the query's target; null without a target or when the ticket has none. */
  readonly label: string | null
  /** Whether that label came from the import or from a review decision; null with no label. */
  readonly origin: 'import' | 'review' | null
  /** Every current label of the ticket, by target. */
  readonly labels: Readonly<Record<string, string>>
}

export interface SimilarResult {
  /** The embedder whose vectors answered: an ONNX model, or `tfidf-hash-512` when none is installed. */
  readonly embedder: string
  readonly exact: boolean
  readonly hits: readonly SimilarTicket[]
}

/** The outcome of an indexing run (the `similar.index` job, or the indexing step after an import). */
export interface IndexSummary {
  readonly embedder: string
  /** Tickets embedded and saved by this run. */
  readonly indexed: number
  /** Tickets with a vector for the embedder afterwards. */
  readonly total: number
  readonly seconds: number
  readonly rowsPerSec: number
  readonly cancelled: boolean
  /** After an import: tickets linked as likely duplicates of earlier ones. */
  readonly nearDuplicates?: number
  /** After an import: tickets predicted by the active heads. */
  readonly predicted?: number
}
