// The one API contract between the renderer (and CLI) and the engine. A request's shape is written here
// and nowhere else: params are zod schemas (the engine validates every request with them, because the
// renderer is untrusted), results and pushed events are types.
import type { TeamJoined, TeamStatus, TeamSyncResult } from './team.ts'
import { z } from 'zod'
import type {
  CsvPreview,
  DoctorReport,
  ImportError,
  ImportSummary,
  JobProgress,
  StoreStats,
  TicketDetail,
  TicketField,
  TicketPage
} from './domain.ts'
import type { ConfusionCellTickets, DriftView, EvaluationReportView, ReviewAccuracyWeek } from './evaluation.ts'
import type { InstalledModel, ModelStatus, ModelSummary, PredictionFill, ThresholdPreview, TrainSummary } from './models.ts'
import type { AuditRow, ReviewBatchUndo, ReviewDecision, ReviewItem } from './review.ts'
import type { IndexSummary, SimilarResult } from './similar.ts'

const columnIndex = z.number().int().min(0).max(10_000)
const encoding = z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'iso-8859-1'])
const delimiter = z.enum([',', ';', '\t', '|'])
const reviewBatchId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a batch id is 8–64 letters, digits, - or _')

export const columnMappingSchema = z.strictObject({
  fields: z.strictObject({
    externalId: columnIndex.optional(),
    subject: columnIndex.optional(),
    body: columnIndex.optional(),
    created: columnIndex.optional(),
    status: columnIndex.optional(),
    priority: columnIndex.optional()
  }),
  targets: z.record(z.string().min(1).max(100), columnIndex),
  extraText: z.array(columnIndex).max(100).readonly().optional()
})

const inboxColumn = z.union([
  z.enum(['externalId', 'subject', 'created', 'status', 'priority']),
  z.templateLiteral(['label:', z.string().min(1).max(100)]),
  /** Sort only: the active head's confidence for a target. */
  z.templateLiteral(['confidence:', z.string().min(1).max(100)])
])

export const inboxFilterSchema = z.strictObject({
  column: inboxColumn,
  value: z.string().max(1000)
})

/** Each setting's type, without defaults: a `settings.set` patch names only what it changes. */
const settingsFields = {
  reviewerName: z.string().min(1).max(100),
  /** Share of confident, auto-routed tickets also sent to review, so the error rate above threshold stays measured. */
  reviewSampleRate: z.number().min(0).max(0.5),
  /** Activate a retrained model by itself when it is better on the same held-out tickets (off: the lead confirms). */
  autoActivate: z.boolean(),
  executionProvider: z.enum(['auto', 'cuda', 'coreml', 'dml', 'cpu']),
  /** The embedder for similar tickets and new models, by name; null: the default model, else the first that loads. */
  embedder: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/)
    .max(100)
    .nullable(),
  duplicateThreshold: z.number().min(0.5).max(1),
  /** Update the target's model (model.update) by itself after this many review decisions since its version; 0: only on request. */
  autoUpdateAfter: z.number().int().min(0).max(10_000)
}

const settingsDefaults: { [K in keyof typeof settingsFields]: z.output<(typeof settingsFields)[K]> } = {
  reviewerName: 'reviewer',
  reviewSampleRate: 0.02,
  autoActivate: true,
  executionProvider: 'auto',
  embedder: null,
  duplicateThreshold: 0.95,
  autoUpdateAfter: 0
}

/** A patch: only the settings it names. (A schema with defaults would fill in, and so reset, every other one.) */
export const settingsPatchSchema = z.strictObject(settingsFields).partial()

/** The whole settings, each missing one at its default. */
export const settingsSchema = settingsPatchSchema.transform((patch) => ({ ...settingsDefaults, ...patch }))
export type Settings = z.output<typeof settingsSchema>

export const requestSchemas = {
  'app.info': z.strictObject({}),
  'import.preview': z.strictObject({
    path: z.string().min(1).max(4096),
    encoding: encoding.optional(),
    delimiter: delimiter.optional()
  }),
  'import.start': z.strictObject({
    path: z.string().min(1).max(4096),
    encoding: encoding.optional(),
    delimiter: delimiter.optional(),
    mapping: columnMappingSchema.optional()
  }),
  'job.cancel': z.strictObject({ jobId: z.string().min(1).max(100) }),
  'imports.list': z.strictObject({}),
  'imports.errors': z.strictObject({
    importId: z.number().int().positive(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100)
  }),
  'tickets.page': z.strictObject({
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
    sort: z.strictObject({ column: inboxColumn, dir: z.enum(['asc', 'desc']) }).optional(),
    filters: z.array(inboxFilterSchema).max(20).default([]),
    search: z.string().max(500).optional(),
    /** Prediction filters for one target's active head. */
    prediction: z
      .strictObject({
        target: z.string().min(1).max(100),
        /** Only tickets flagged for review. */
        needsReview: z.boolean().optional(),
        /** Only tickets whose predicted label differs from the recorded one. */
        mismatch: z.boolean().optional(),
        label: z.string().max(200).optional()
      })
      .optional()
  }),
  'tickets.get': z.strictObject({ id: z.number().int().positive() }),
  'tickets.columns': z.strictObject({}),
  'store.stats': z.strictObject({}),
  'store.doctor': z.strictObject({}),
  /** Predicts, as a job, every ticket an active head has no current prediction for (what doctor reports as gaps). */
  'store.repair': z.strictObject({}),
  'model.status': z.strictObject({}),
  'model.list': z.strictObject({ target: z.string().min(1).max(100).optional() }),
  /** Trains a head for a label target as a job; `embedder: 'none'` uses the built-in featuriser only. */
  'model.train': z.strictObject({ target: z.string().min(1).max(100), embedder: z.string().min(1).max(100).optional() }),
  /** A new version from the active head after review decisions: warm-started, seconds; a job of kind 'train'. */
  'model.update': z.strictObject({ target: z.string().min(1).max(100) }),
  /** Copies a sentence-embedding model folder (e.g. from a USB stick) into the data folder, after checking it. */
  'model.install': z.strictObject({
    path: z.string().min(1).max(4096),
    /** For a model the app has no manifest for: the name it is installed under (default: the folder's). */
    name: z.string().min(1).max(80).optional(),
    /** For such a model: text put before every input ("query: " for E5 models; read from the model card when absent). */
    prefix: z.string().max(100).optional()
  }),
  /** Deletes a model installed in the data folder (never one under TRIAGE_MODELS_DIR). */
  'model.remove': z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/).max(100) }),
  /** Makes a head the active one for its target (also how a previous version is restored). */
  'model.activate': z.strictObject({ modelId: z.number().int().positive() }),
  /** What thresholds a target precision would give, and the coverage that buys, before applying it. */
  'model.thresholdsPreview': z.strictObject({ modelId: z.number().int().positive(), precision: z.number().min(0.5).max(0.999) }),
  'model.thresholdsApply': z.strictObject({
    modelId: z.number().int().positive(),
    /** Up to 1.01: what a preview gives when no threshold reaches the precision (above any confidence: review all). */
    global: z.number().min(0).max(1.01),
    /** A value below the review floor (0.5) stands: it is recorded as the lead's deliberate choice. */
    perClass: z.record(z.string().max(200), z.number().min(0).max(1.01)).default({}),
    /** The target precision these values were previewed at: the queues the floor raised are remembered as such. */
    precision: z.number().min(0.5).max(0.999).optional()
  }),
  'eval.report': z.strictObject({
    target: z.string().min(1).max(100),
    source: z.enum(['holdout', 'reviews']).default('holdout'),
    /** Defaults to the target's active model. */
    modelId: z.number().int().positive().optional()
  }),
  /** The tickets behind one confusion-matrix cell (truth row, predicted column) of a report. */
  'eval.cell': z.strictObject({
    target: z.string().min(1).max(100),
    source: z.enum(['holdout', 'reviews']).default('holdout'),
    modelId: z.number().int().positive().optional(),
    truth: z.string().max(200),
    predicted: z.string().max(200),
    limit: z.number().int().min(1).max(500).default(100)
  }),
  'eval.drift': z.strictObject({ target: z.string().min(1).max(100) }),
  'eval.reviewAccuracy': z.strictObject({ target: z.string().min(1).max(100) }),
  'settings.get': z.strictObject({}),
  'settings.set': settingsPatchSchema,
  'review.queue': z.strictObject({
    target: z.string().min(1).max(100),
    order: z.enum(['confidence', 'margin']).default('confidence'),
    predicted: z.string().max(200).optional(),
    importId: z.number().int().positive().optional(),
    createdFrom: z.string().max(40).optional(),
    createdTo: z.string().max(40).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(50)
  }),
  'review.decide': z.strictObject({
    ticketId: z.number().int().positive(),
    target: z.string().min(1).max(100),
    /** Omitted to accept the prediction. */
    label: z.string().min(1).max(200).optional(),
    /** Shared by the decisions of one "Accept all" (the client makes it, e.g. a UUID), so they can be undone together. */
    batchId: reviewBatchId.optional()
  }),
  'review.undo': z.strictObject({ target: z.string().min(1).max(100) }),
  /** Undoes every decision of one batch ("Accept all") that is not undone yet, as one step. */
  'review.undoBatch': z.strictObject({ batchId: reviewBatchId }),
  'review.audit': z.strictObject({
    target: z.string().min(1).max(100).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100)
  }),
  'review.auditCsv': z.strictObject({ target: z.string().min(1).max(100).optional() }),
  /** Tickets like a ticket (never itself) or like a text: exactly one of ticketId, text. */
  'similar.query': z
    .strictObject({
      ticketId: z.number().int().positive().optional(),
      text: z.string().trim().min(1).max(100_000).optional(),
      k: z.number().int().min(1).max(50).default(10),
      /** Label target whose current value each hit carries as `label`. */
      target: z.string().min(1).max(100).optional(),
      /** Brute-force float32 scan instead of int8 scan + re-rank (same scores, slower). */
      exact: z.boolean().default(false)
    })
    .refine((p) => (p.ticketId === undefined) !== (p.text === undefined), 'give exactly one of ticketId or text'),
  /** Embeds every ticket that has no vector for the active embedder, as a job. */
  'similar.index': z.strictObject({}),
  /** Team sync (PostgreSQL): joined or not, online, what waits to be pushed, decisions of ours that lost. */
  'team.status': z.strictObject({}),
  /** One sync round with the team database: push, then pull. */
  'team.sync': z.strictObject({}),
  /** Joins this desktop to a team: postgres://ROLE[:PASSWORD]@HOST:PORT/DB[?sslmode=verify-full]. A password goes
   * to a 0600 password file beside the database, never into it. */
  'team.join': z.strictObject({ url: z.string().min(1).max(2000) }),
  /** Forgets the connection and its password file; the data stays. */
  'team.leave': z.strictObject({})
} as const

export interface AppInfo {
  readonly version: string
  readonly dbPath: string
  readonly schemaVersion: number
  readonly tickets: number
  readonly engineStartedAt: string
}

export interface InboxColumns {
  readonly fields: readonly string[]
  readonly targets: readonly { readonly target: string; readonly values: readonly string[] }[]
  /** Distinct values of the categorical ticket fields, most common first, for the inbox filter menus.
   * Optional: without it the inbox offers filters for label targets only. (Added for the renderer.) */
  readonly fieldValues?: Readonly<Partial<Record<'status' | 'priority', readonly string[]>>>
  /** The ticket fields at least one ticket has a value for: the inbox hides a column that would be empty
   * on every row (a body-only export has no status, priority or date). Optional: without it every column shows. */
  readonly fieldsWithData?: readonly TicketField[]
  /** The longest external id in characters, so the ID column can start wide enough to show ids whole. */
  readonly externalIdChars?: number
}

export interface ResultMap {
  'app.info': AppInfo
  'import.preview': CsvPreview
  'import.start': { readonly jobId: string }
  'job.cancel': { readonly cancelled: boolean }
  'imports.list': readonly ImportSummary[]
  'imports.errors': { readonly total: number; readonly rows: readonly ImportError[] }
  'tickets.page': TicketPage
  'tickets.get': TicketDetail
  'tickets.columns': InboxColumns
  'store.stats': StoreStats
  'store.doctor': DoctorReport
  'store.repair': { readonly jobId: string }
  'model.status': ModelStatus
  'model.list': readonly ModelSummary[]
  'model.train': { readonly jobId: string }
  'model.update': { readonly jobId: string }
  /** A job: hashing and copying a model of hundreds of MB takes a while. */
  'model.install': { readonly jobId: string }
  'model.remove': { readonly name: string; readonly message: string }
  'model.activate': ModelSummary
  'model.thresholdsPreview': ThresholdPreview
  'model.thresholdsApply': ModelSummary
  'eval.report': EvaluationReportView | null
  'eval.cell': ConfusionCellTickets
  'eval.drift': DriftView | null
  'eval.reviewAccuracy': readonly ReviewAccuracyWeek[]
  'settings.get': Settings
  'settings.set': Settings
  'review.queue': { readonly total: number; readonly items: readonly ReviewItem[] }
  'review.decide': ReviewDecision
  'review.undo': ReviewDecision
  'review.undoBatch': ReviewBatchUndo
  'review.audit': { readonly total: number; readonly rows: readonly AuditRow[] }
  'review.auditCsv': { readonly csv: string }
  'similar.query': SimilarResult
  'similar.index': { readonly jobId: string }
  'team.status': TeamStatus
  'team.sync': TeamSyncResult
  'team.join': TeamJoined
  'team.leave': { readonly left: boolean }
}

export type Method = keyof typeof requestSchemas

/** Requests that name a file or folder on this machine. A host lets them through only for paths the user
 * chose there (a native dialog in Electron, an upload or an allowed folder in the browser host): the engine
 * reads nothing a page merely typed. The CLI, run by the user, is not gated. */
export const PATH_METHODS: ReadonlySet<string> = new Set<Method>(['import.preview', 'import.start', 'model.install'])
export type Params<M extends Method> = z.input<(typeof requestSchemas)[M]>
export type ParsedParams<M extends Method> = z.output<(typeof requestSchemas)[M]>
export type Result<M extends Method> = ResultMap[M]

/** What each kind of job ends with (the `result` of its job.done event). */
export interface JobResults {
  readonly import: ImportSummary
  readonly train: TrainSummary
  readonly index: IndexSummary
  readonly install: InstalledModel
  readonly predict: PredictionFill
  /** A team sync round large enough to show its progress (team/teamCatchUp.ts). */
  readonly sync: TeamSyncResult
}
export type JobKind = keyof JobResults
export type JobDone = { [K in JobKind]: { readonly jobId: string; readonly kind: K; readonly result: JobResults[K] } }[JobKind]

/** Events the engine pushes to every connected client. */
export interface EventMap {
  'job.progress': JobProgress
  'job.done': JobDone
  'job.failed': { readonly jobId: string; readonly kind: JobProgress['kind']; readonly error: EngineErrorShape }
  'data.changed': { readonly what: 'tickets' | 'imports' | 'labels' | 'models' | 'settings' }
  /** Sent by a host (not the engine) when the engine process died and was restarted. */
  'engine.restarted': { readonly reason: string; readonly at: string }
  /** The team status after each sync round (worked or failed), join and leave: the status chip follows it. */
  'team.status': TeamStatus
}
export type EventName = keyof EventMap

/** Stable error codes: clients branch on these, never on messages. */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNKNOWN_METHOD',
  'NOT_FOUND',
  'FILE_NOT_FOUND',
  'FILE_NOT_TEXT',
  'FILE_EMPTY',
  'NO_TEXT_COLUMN',
  'IMPORT_FAILED',
  'DB_NEWER_THAN_APP',
  'DB_CORRUPT',
  'JOB_NOT_FOUND',
  /** Similar tickets asked for before any ticket has a vector: import tickets, let indexing finish. */
  'SIMILAR_NOT_READY',
  'CONFLICT',
  /** A model folder offered for install matches no known manifest, fails its checksums or does not run. */
  'MODEL_INVALID',
  /** An embedder a request needs (one a head was trained with, say) is not installed here or does not load. */
  'MODEL_UNAVAILABLE',
  'ENGINE_UNAVAILABLE',
  /** Team sync (src/main/engine/team): this desktop has joined no team. */
  'TEAM_NOT_JOINED',
  /** The team database cannot be reached; work goes on locally. */
  'TEAM_OFFLINE',
  /** The team database refused the login (role or password). */
  'TEAM_AUTH',
  /** The team database is not initialised, older than this app, another team's, or this role is no member. */
  'TEAM_SCHEMA',
  'TEAM_DB_NEWER_THAN_APP',
  /** The team database refused an action this role lacks the rights for. */
  'TEAM_FORBIDDEN',
  'INTERNAL'
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface EngineErrorShape {
  readonly code: ErrorCode
  readonly message: string
  readonly details?: Readonly<Record<string, unknown>>
}

/** Wire messages, identical over MessagePort, WebSocket and child-process IPC. */
export type WireRequest = { readonly id: number; readonly method: string; readonly params: unknown }
export type WireResponse =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: EngineErrorShape }
export type WireEvent = { readonly event: EventName; readonly payload: unknown }
/** The answer to a message too broken to carry a usable id (not JSON, an array, no numeric id): JSON-RPC's
 * convention, so the sender hears BAD_REQUEST instead of silence. Clients match no request to it. */
export type WireRejection = { readonly id: null; readonly ok: false; readonly error: EngineErrorShape }
export type WireMessage = WireResponse | WireEvent | WireRejection

/** What preload exposes as `window.triage` and the browser client implements over WebSocket. */
export interface TriageApi {
  request<M extends Method>(method: M, params: Params<M>): Promise<Result<M>>
  onEvent<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void
  /** A CSV chosen by the user: a native dialog in Electron, an upload in the browser host. */
  pickCsvFile(file?: File): Promise<string | null>
  /** A folder chosen in a native dialog (Electron only). */
  pickModelFolder?(): Promise<string | null>
  /** Browser host only: uploads the model files of a folder chosen in the page (webkitdirectory) and returns
   * the host-side folder to install. `onProgress` hears bytes sent of the total. */
  uploadModelFolder?(files: readonly File[], onProgress?: (sent: number, total: number) => void): Promise<string>
}
