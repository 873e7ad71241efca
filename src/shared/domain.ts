import type { ModelFileProblem, PredictionGap, TicketPrediction } from './models.ts'

// Domain types shared by the engine, the CLI, preload and the renderer. Data that crosses a process
// boundary is plain JSON, so everything here is readonly and serialisable.

/** The ticket fields the importer understands; every other column is kept in `raw`. */
export const TICKET_FIELDS = ['externalId', 'subject', 'body', 'created', 'status', 'priority'] as const
export type TicketField = (typeof TICKET_FIELDS)[number]

/** Which source column (by index, since headers may repeat) feeds each ticket field. */
export type FieldMapping = Readonly<Partial<Record<TicketField, number>>>

export interface ColumnMapping {
  readonly fields: FieldMapping
  /** Columns whose values become label targets (queue, priority, type, any categorical), keyed by target name. */
  readonly targets: Readonly<Record<string, number>>
  /** Extra text columns appended to the body (Jira comments, a second description). */
  readonly extraText?: readonly number[]
}

export interface CsvPreview {
  readonly fileName: string
  readonly bytes: number
  readonly encoding: string
  readonly delimiter: string
  readonly headers: readonly string[]
  readonly sampleRows: readonly (readonly string[])[]
  readonly preset: string
  readonly mapping: ColumnMapping
}

export interface ImportCounts {
  readonly read: number
  readonly imported: number
  readonly updated: number
  readonly duplicate: number
  readonly rejected: number
}

export type ImportStatus = 'running' | 'done' | 'cancelled' | 'failed' | 'interrupted'

export interface ImportSummary extends ImportCounts {
  readonly importId: number
  readonly fileName: string
  readonly sha256: string
  readonly encoding: string
  readonly delimiter: string
  readonly status: ImportStatus
  readonly startedAt: string
  readonly seconds: number
  readonly rowsPerSec: number
  readonly message?: string
}

export interface ImportError {
  readonly line: number
  readonly reason: string
  readonly column?: string
  readonly raw: string
}

export interface TicketRow {
  readonly id: number
  readonly externalId: string
  readonly subject: string
  readonly snippet: string
  readonly created: string | null
  readonly status: string | null
  readonly priority: string | null
  /** Current label per target (queue, type …). */
  readonly labels: Readonly<Record<string, string>>
  /** The active head's prediction per target that has one. */
  readonly predictions: Readonly<Record<string, TicketPrediction>>
  /** A likely duplicate of this earlier ticket (cosine at import above the setting). `externalId` is the
   * id the user knows it by (absent only from an engine older than the field). */
  readonly duplicateOf?: { readonly id: number; readonly score: number; readonly externalId?: string }
}

export interface LabelHistoryEntry {
  readonly target: string
  readonly value: string
  readonly origin: 'import' | 'review'
  readonly who: string | null
  readonly at: string
  readonly current: boolean
}

export interface TicketDetail extends Omit<TicketRow, 'snippet'> {
  readonly body: string
  readonly importId: number
  readonly raw: Readonly<Record<string, string>>
  readonly labelHistory: readonly LabelHistoryEntry[]
  /** Per target whose current label is a lead's decision: what the helpdesk's latest export says, where it
   * differs (a re-import never overrides a decision; this is how the panel says the helpdesk disagrees). */
  readonly helpdeskLabels: Readonly<Record<string, string>>
}

export type SortDirection = 'asc' | 'desc'

/** A sortable / filterable inbox column: a ticket field or `label:<target>`. */
export type InboxColumn = 'externalId' | 'subject' | 'created' | 'status' | 'priority' | `label:${string}` | `confidence:${string}`

export interface TicketPage {
  readonly total: number
  readonly rows: readonly TicketRow[]
}

export interface StoreStats {
  readonly tickets: number
  readonly imports: number
  readonly rejected: number
  readonly targets: readonly { readonly target: string; readonly values: readonly { readonly value: string; readonly count: number }[] }[]
}

export interface DoctorReport {
  readonly ok: boolean
  readonly dbPath: string
  readonly schemaVersion: number
  readonly integrity: string
  readonly versions: Readonly<Record<string, string>>
  readonly tickets: number
  /** Model rows whose files are missing or altered (none: every file matches its recorded sha256). */
  readonly modelFiles: readonly ModelFileProblem[]
  /** Active heads with tickets lacking a current prediction; `store.repair` fills them. */
  readonly predictionGaps: readonly PredictionGap[]
}

export interface JobProgress {
  readonly jobId: string
  readonly kind: 'import' | 'train' | 'index' | 'install' | 'predict' | 'sync'
  /**
   * Within an import job: reading the file, then embedding its tickets for similar tickets (rows, percent
   * restart). Within a training job: embedding, features, fit, calibrate, refit, predicting. Within a
   * model install: verify (hashing the folder), copy (copying and checking the copy), test (a test run).
   * Within a predict job (tickets lacking a prediction): predicting. Within an index job: embedding,
   * duplicates (marking near-duplicates of an import's tickets), predicting.
   * Within a sync job (a team round with more than one batch to pull): pulling (rows of about `total`).
   */
  readonly phase?: 'import' | 'index' | 'embedding' | 'duplicates' | 'features' | 'fit' | 'calibrate' | 'refit' | 'done' | 'predicting' | 'verify' | 'copy' | 'test' | 'pulling'
  readonly rows: number
  readonly rowsPerSec: number
  /** 0–100 through the current phase (an import: from bytes consumed). */
  readonly percent: number
  /** Rows the current phase has in all, when it knows ("embedding tickets 12,400 / 38,270"). */
  readonly total?: number
  /** 0–1 through the whole job: phases are steps of one bar, and it never goes back. Set by the engine's job registry. */
  readonly overall?: number
}
