// The engine's front door: every request is validated against the shared contract (the renderer is
// untrusted), dispatched to its handler, and answered as a result or a `{ code, message, details }` error.
import { dirname, join } from 'node:path'
import { z } from 'zod'
import {
  requestSchemas,
  type EventMap,
  type JobDone,
  type Method,
  type ParsedParams,
  type Result,
  type WireEvent,
  type WireRequest,
  type WireResponse
} from '../../../shared/contract.ts'
import { EngineError, toErrorShape } from '../../../shared/errors.ts'
import { appVersion } from '../appVersion.ts'
import { openCsv } from '../ingest/csvSource.ts'
import { importCsv } from '../ingest/importCsv.ts'
import { previewCsv } from '../ingest/previewCsv.ts'
import { JobRegistry } from '../jobs/jobRegistry.ts'
import { openDatabase, schemaVersion, type Db } from '../store/database.ts'
import { doctor } from '../store/doctor.ts'
import { importErrors, listImports } from '../store/importsRepo.ts'
import { beatWhileRunning, markInterruptedImports } from '../store/importHeartbeat.ts'
import { auditTrail, auditTrailCsv } from '../review/auditTrail.ts'
import { decide, undoBatch, undoLast } from '../review/reviewDecisions.ts'
import { reviewQueue } from '../review/reviewQueue.ts'
import { readSettings, writeSettings } from '../store/settingsRepo.ts'
import { activateModel, applyThresholds, headsDir, modelStatus, previewThresholds, removeEmbedder } from '../predict/modelRequests.ts'
import { activeStoredHead, listHeads } from '../predict/modelsRepo.ts'
import { confusionCell, evaluationReport, reviewAccuracyByWeek } from '../evaluate/evaluationReport.ts'
import { driftByWeek } from '../evaluate/driftReport.ts'
import { predictMissing, releaseHeadScorers, type FillOptions } from '../predict/predictTickets.ts'
import { predictionGaps } from '../predict/predictionGaps.ts'
import { floorStoredThresholds } from '../predict/thresholdUpgrade.ts'
import type { PredictionFill } from '../../../shared/models.ts'
import type { JobProgress } from '../../../shared/domain.ts'
import { trainTarget } from '../predict/trainTarget.ts'
import { decisionsSince, updateTarget } from '../predict/updateTarget.ts'
import { repredictNearDecisions } from '../predict/decisionVotes.ts'
import { afterImportSimilar } from '../similar/afterImport.ts'
import type { IndexSummary } from '../../../shared/similar.ts'
import { activeEmbedder, configureSimilar, releaseSimilar, reloadEmbedders, switchFromFallback } from '../similar/similarState.ts'
import { TFIDF_EMBEDDER } from '../similar/hashedTfidf.ts'
import { installMessage, installModelFolder } from '../inference/installModel.ts'
import { indexTickets, similarTickets } from '../similar/similarService.ts'
import { inboxColumns, storeStats, ticketDetail, ticketPage } from '../store/ticketsRepo.ts'
import { readTeamConfig, reviewerIdentity } from '../team/teamConfig.ts'
import { joinTeam, leaveTeam, type TeamPasswordKeeper } from '../team/teamJoin.ts'
import { startTeamAutoSync, type AutoSync } from '../team/teamAutoSync.ts'
import { teamStatus } from '../team/teamStatus.ts'
import { syncOnce } from '../team/teamSync.ts'
import { catchUpProgress } from '../team/teamCatchUp.ts'
import type { TeamSyncResult } from '../../../shared/team.ts'

export interface EngineOptions {
  readonly dbPath: string
  readonly modelsDir?: string
  /**
   * Start a job at once that predicts the tickets the active heads have no current prediction for (left by
   * an import that stopped before predicting). Default true, for the app; the CLI, whose commands are
   * short-lived, passes false and predicts in `triage import` and `triage doctor --repair` instead.
   */
  readonly predictMissingAtStart?: boolean
  /**
   * Sync with the joined team at start, shortly after local changes and when PostgreSQL notifies (team/
   * teamAutoSync.ts). Default: as predictMissingAtStart (on in the app, off in the short-lived CLI).
   */
  readonly teamAutoSync?: boolean
  /** A host that keeps team passwords encrypted (Electron main); without it a joined URL's password goes to `<db>.pgpass`. */
  readonly teamPasswords?: TeamPasswordKeeper
  /** Auto sync starts once this settles: the host first hands over the passwords it keeps (rememberPassword). */
  readonly teamPasswordsReady?: Promise<void>
}

function predictingProgress(done: number, total: number): Omit<JobProgress, 'jobId' | 'kind'> {
  return { phase: 'predicting', rows: done, total, rowsPerSec: 0, percent: Math.round((done / Math.max(1, total)) * 1000) / 10 }
}

export interface Engine {
  handle(request: WireRequest): Promise<WireResponse>
  /** Typed in-process calls for the CLI and tests; the same validation as the wire. */
  call<M extends Method>(method: M, params: z.input<(typeof requestSchemas)[M]>): Promise<Result<M>>
  onEvent(listener: (event: WireEvent) => void): () => void
  readonly db: Db
  /** Closes the database at once; the promise settles when the embedding workers have stopped. */
  close(): Promise<void>
}

type Handlers = { [M in Method]: (params: ParsedParams<M>) => Result<M> | Promise<Result<M>> }

export function createEngine(options: EngineOptions): Engine {
  const db = openDatabase(options.dbPath)
  markInterruptedImports(db)
  floorStoredThresholds(db)
  const startedAt = new Date().toISOString()
  const listeners = new Set<(event: WireEvent) => void>()
  let autoSync: AutoSync | undefined
  const emit = <E extends keyof EventMap>(event: E, payload: EventMap[E], fromSync = false): void => {
    for (const l of listeners) l({ event, payload })
    // A local change (a decision, an import, a model) goes out soon; what a sync round itself brought does not.
    // (A sync job's end is such a round too.)
    const local = event === 'data.changed' || (event === 'job.done' && (payload as JobDone).kind !== 'sync')
    if (!fromSync && local) autoSync?.nudge()
  }
  const jobs = new JobRegistry(emit)
  // Models are looked up in TRIAGE_MODELS_DIR first, then in the data folder beside the database.
  const modelsDir = options.modelsDir ?? join(dirname(options.dbPath), 'models')
  configureSimilar(db, { modelsDir })

  /** Gives every ticket without one a vector of the active embedder (after a model or setting change, or on request). */
  function indexAllJob(): string {
    return jobs.start('index', (ctx) => indexTickets(db, undefined, { signal: ctx.signal, onProgress: (p) => ctx.progress({ phase: 'embedding', ...p }) }))
  }

  // One fill at a time: an import's follow-on job and a start-up or repair job would otherwise predict the
  // same missing tickets twice over.
  let filling: Promise<unknown> = Promise.resolve()
  function fillPredictions(options: FillOptions): Promise<PredictionFill> {
    const run = filling.then(() => predictMissing(db, readSettings(db).reviewSampleRate, options))
    filling = run.catch(() => {})
    return run
  }

  /** Predicts, as a job, every ticket an active head has no current prediction for. */
  function fillPredictionsJob(): string {
    return jobs.start('predict', async (ctx) => {
      const fill = await fillPredictions({
        signal: ctx.signal,
        onProgress: (done, total) => ctx.progress(predictingProgress(done, total))
      })
      if (fill.predicted > 0) emit('data.changed', { what: 'tickets' })
      return fill
    })
  }

  // Tickets an earlier run committed but never predicted (it was closed or killed in between) are caught up now.
  if (options.predictMissingAtStart !== false && predictionGaps(db).length > 0) fillPredictionsJob()

  /** Embeds an import's tickets for similar tickets, marks near-duplicates, then predicts every ticket the active heads lack. */
  function afterImportJob(importId: number): string {
    return jobs.start('index', async (ctx) => {
      let similar: IndexSummary
      try {
        const done = await afterImportSimilar(db, importId, {
          signal: ctx.signal,
          onProgress: (q) => ctx.progress({ phase: 'embedding', ...q }),
          onDuplicates: (done, total) => ctx.progress({ phase: 'duplicates', rows: done, total, rowsPerSec: 0, percent: (100 * done) / Math.max(1, total) })
        })
        similar = { embedder: done.embedder, indexed: done.indexed, total: done.indexed, seconds: done.seconds, rowsPerSec: done.seconds > 0 ? Math.round(done.indexed / done.seconds) : 0, cancelled: done.cancelled, nearDuplicates: done.nearDuplicates }
      } catch (err) {
        // Cancelled (the engine is closing): nothing failed, and the database may already be closed.
        if (ctx.signal.aborted) throw err
        // Similar tickets can catch up later (`similar.index`); predictions must still happen.
        console.error(`similar tickets: indexing after import ${importId} failed: ${(err as Error).message}`)
        similar = { embedder: '', indexed: 0, total: 0, seconds: 0, rowsPerSec: 0, cancelled: false }
      }
      // Every ticket without a current prediction, not only this import's: an earlier import may have
      // stopped between committing its rows and predicting them.
      const { predicted } = await fillPredictions({ signal: ctx.signal, onProgress: (done, total) => ctx.progress(predictingProgress(done, total)) })
      emit('data.changed', { what: 'tickets' })
      return { ...similar, predicted }
    })
  }

  /** Targets with an update job running: one at a time each. */
  const updating = new Map<string, string>()
  /** "Update model" as a job of kind train; a second request while one runs gets the running job's id. */
  function updateJob(target: string): string {
    const running = updating.get(target)
    if (running) return running
    const jobId = jobs.start('train', async (ctx) => {
      try {
        return await updateTarget(db, {
          target,
          headsDir: headsDir(options.dbPath),
          signal: ctx.signal,
          onProgress: (stage, fraction) => ctx.progress({ phase: stage, rows: 0, rowsPerSec: 0, percent: Math.round(fraction * 1000) / 10 })
        })
      } finally {
        updating.delete(target)
        emit('data.changed', { what: 'models' })
      }
    })
    updating.set(target, jobId)
    return jobId
  }

  /**
   * A decision (or undo) counts in the neighbour vote at once: the tickets near it are predicted again in
   * the background, after any fill. With the setting on, enough decisions since the active version start an update.
   */
  function afterDecisions(target: string, ticketIds: number[]): void {
    const settings = readSettings(db)
    const run = filling.then(() => repredictNearDecisions(db, target, ticketIds, settings.reviewSampleRate))
    filling = run.catch(() => {})
    run.then(
      (n) => n > 0 && emit('data.changed', { what: 'tickets' }),
      (err: unknown) => console.error(`re-predicting near a decision on ${target}: ${(err as Error).message}`)
    )
    if (settings.autoUpdateAfter === 0 || updating.has(target) || !activeStoredHead(db, target)) return
    // Counted since the newest version, activated or not: an update that was not better is not redone at every decision.
    const newest = listHeads(db, target)[0]
    if (newest && decisionsSince(db, target, newest.summary.createdAt).length >= settings.autoUpdateAfter) updateJob(target)
  }

  const handlers: Handlers = {
    'app.info': () => ({
      version: appVersion(),
      dbPath: options.dbPath,
      schemaVersion: schemaVersion(db),
      tickets: (db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n,
      engineStartedAt: startedAt
    }),
    'import.preview': async (p) => previewCsv(await openCsv(p.path, p)),
    'import.start': async (p) => {
      const source = await openCsv(p.path, p)
      const jobId = jobs.start('import', async (ctx) => {
        let summary
        let stopBeating = (): void => {}
        try {
          summary = await importCsv(db, source, {
            mapping: p.mapping,
            signal: ctx.signal,
            onProgress: ctx.progress,
            onStart: (importId) => (stopBeating = beatWhileRunning(db, importId))
          })
        } finally {
          stopBeating()
          emit('data.changed', { what: 'tickets' })
        }
        // The import is done and shown; embedding its tickets (minutes for a large file on a CPU) and
        // predicting them follow as their own job, so the summary never waits for them.
        if (summary.status === 'done') afterImportJob(summary.importId)
        return summary
      })
      return { jobId }
    },
    'job.cancel': (p) => {
      if (!jobs.cancel(p.jobId)) throw new EngineError('JOB_NOT_FOUND', `No running job ${p.jobId}; it may have finished already.`)
      return { cancelled: true }
    },
    'imports.list': () => listImports(db),
    'imports.errors': (p) => importErrors(db, p.importId, p.offset, p.limit),
    'tickets.page': (p) => ticketPage(db, p),
    'tickets.get': (p) => ticketDetail(db, p.id),
    'tickets.columns': () => inboxColumns(db),
    'store.stats': () => storeStats(db),
    'store.doctor': () => doctor(db, options.dbPath),
    'store.repair': () => ({ jobId: fillPredictionsJob() }),
    'model.status': () => modelStatus(db, modelsDir),
    'model.list': (p) => listHeads(db, p.target).map((h) => h.summary),
    'model.train': (p) => {
      const jobId = jobs.start('train', async (ctx) => {
        try {
          return await trainTarget(db, {
            target: p.target,
            embedder: p.embedder,
            headsDir: headsDir(options.dbPath),
            signal: ctx.signal,
            onProgress: (stage, fraction) =>
              ctx.progress({ phase: stage, rows: 0, rowsPerSec: 0, percent: Math.round(fraction * 1000) / 10 })
          })
        } finally {
          emit('data.changed', { what: 'models' })
        }
      })
      return { jobId }
    },
    'model.update': (p) => ({ jobId: updateJob(p.target) }),
    'model.install': (p) => {
      const jobId = jobs.start('install', async (ctx) => {
        const installed = await installModelFolder(p.path, modelsDir, {
          name: p.name,
          prefix: p.prefix,
          signal: ctx.signal,
          // Its percent is already over all three passes.
          onProgress: (phase, percent) => ctx.progress({ phase, rows: 0, rowsPerSec: 0, percent, overall: percent / 100 })
        })
        const { name, dimension } = installed.manifest
        // Similar tickets on the built-in fallback switch at once; the models search order decides
        // whether the new model is the one picked (a default model elsewhere may come first).
        const switched = await switchFromFallback(db, TFIDF_EMBEDDER)
        const inUse = switched && (await activeEmbedder(db).then((e) => e.name === name, () => false))
        // The new model needs every ticket's vector: the index job makes them.
        if (inUse) indexAllJob()
        emit('data.changed', { what: 'models' })
        return {
          name,
          dimension,
          folder: installed.folder,
          bytes: installed.bytes,
          known: installed.known,
          inUse,
          message: installMessage(installed, inUse)
        }
      })
      return { jobId }
    },
    'model.remove': async (p) => {
      const removed = await removeEmbedder(db, p.name, modelsDir)
      emit('data.changed', { what: 'settings' })
      emit('data.changed', { what: 'models' })
      indexAllJob()
      return removed
    },
    'model.activate': async (p) => {
      const summary = await activateModel(db, p.modelId)
      emit('data.changed', { what: 'models' })
      return summary
    },
    'model.thresholdsPreview': (p) => previewThresholds(db, p.modelId, p.precision),
    'model.thresholdsApply': (p) => {
      const summary = applyThresholds(db, p.modelId, p.global, p.perClass, p.precision)
      emit('data.changed', { what: 'models' })
      return summary
    },
    'eval.report': (p) => evaluationReport(db, p.target, p.source, p.modelId),
    'eval.cell': (p) => confusionCell(db, p.target, p.source, p.truth, p.predicted, p.limit, p.modelId),
    'eval.drift': (p) => driftByWeek(db, p.target),
    'eval.reviewAccuracy': (p) => reviewAccuracyByWeek(db, p.target),
    'settings.get': () => readSettings(db),
    'settings.set': (p) => {
      const before = readSettings(db)
      const next = writeSettings(db, p)
      emit('data.changed', { what: 'settings' })
      if (next.embedder !== before.embedder || next.executionProvider !== before.executionProvider) {
        // Released once the runs queued before have finished; the index job then loads the embedder the
        // settings now name and gives every ticket its vector.
        void reloadEmbedders(db).finally(() => emit('data.changed', { what: 'models' }))
        indexAllJob()
      }
      return next
    },
    'review.queue': (p) => reviewQueue(db, p),
    'review.decide': (p) => {
      const result = decide(db, { ...p, who: reviewerIdentity(db, readSettings(db).reviewerName) })
      emit('data.changed', { what: 'labels' })
      afterDecisions(p.target, [result.ticketId])
      return result
    },
    'review.undo': (p) => {
      const result = undoLast(db, reviewerIdentity(db, readSettings(db).reviewerName), p.target)
      emit('data.changed', { what: 'labels' })
      afterDecisions(p.target, [result.ticketId])
      return result
    },
    'review.undoBatch': (p) => {
      const result = undoBatch(db, p.batchId, reviewerIdentity(db, readSettings(db).reviewerName))
      emit('data.changed', { what: 'labels' })
      return result
    },
    'review.audit': (p) => auditTrail(db, p),
    'review.auditCsv': (p) => ({ csv: auditTrailCsv(db, p.target) }),
    'similar.query': (p) =>
      similarTickets(db, p.ticketId !== undefined ? { ticketId: p.ticketId } : { text: p.text ?? '' }, p.k, p.target, { exact: p.exact }),
    'similar.index': () => ({ jobId: indexAllJob() }),
    'team.status': () => teamStatus(db),
    'team.sync': () => teamSync(),
    'team.join': async (p) => {
      const joined = await joinTeam(db, options.dbPath, p.url, options.teamPasswords)
      autoSync?.restart()
      emitTeamStatus()
      return joined
    },
    'team.leave': () => {
      const left = leaveTeam(db, options.dbPath, options.teamPasswords)
      autoSync?.restart()
      emitTeamStatus()
      return left
    }
  }

  /** Tells every client the team status (online or offline since, to push, the last round) after it changed. */
  function emitTeamStatus(): void {
    try {
      emit('team.status', teamStatus(db), true)
    } catch {
      // A closed database: no client is left to tell.
    }
  }

  // One round at a time: a round asked for while one runs waits for it and then runs (it may find more).
  let syncing: Promise<unknown> = Promise.resolve()
  function teamSync(): Promise<TeamSyncResult> {
    const run = syncing.then(async () => {
      const catchUp = catchUpProgress(jobs)
      const result = await syncOnce(db, { dbPath: options.dbPath, onPull: catchUp.onPull })
        .then((r) => (catchUp.settle(r), r), (err: unknown) => (catchUp.settle(undefined, err), Promise.reject(err)))
        .finally(emitTeamStatus)
      if (result.pulled > 0) emit('data.changed', { what: 'labels' }, true)
      // The app embeds and predicts what the round brought; the CLI does it in its own command.
      if (options.predictMissingAtStart !== false) {
        if (result.ticketsChanged > 0) indexAllJob()
        if (predictionGaps(db).length > 0) fillPredictionsJob()
      }
      return result
    })
    syncing = run.catch(() => {})
    return run
  }

  let closed = false
  if (options.teamAutoSync ?? options.predictMissingAtStart !== false) {
    const begin = (): void => {
      if (!closed) autoSync = startTeamAutoSync({ dbPath: options.dbPath, team: () => readTeamConfig(db), sync: teamSync })
    }
    if (options.teamPasswordsReady) void options.teamPasswordsReady.then(begin, begin)
    else begin()
  }

  async function call<M extends Method>(method: M, params: unknown): Promise<Result<M>> {
    if (!Object.hasOwn(requestSchemas, method)) throw new EngineError('UNKNOWN_METHOD', `Unknown request "${String(method)}".`)
    const parsed = requestSchemas[method].safeParse(params ?? {})
    if (!parsed.success) {
      throw new EngineError('BAD_REQUEST', `Invalid parameters for ${method}: ${z.prettifyError(parsed.error)}`, {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
      })
    }
    const handler = handlers[method] as (p: unknown) => Result<M> | Promise<Result<M>>
    return handler(parsed.data)
  }

  return {
    db,
    call,
    async handle(request) {
      try {
        return { id: request.id, ok: true, result: await call(request.method as Method, request.params) }
      } catch (err) {
        return { id: request.id, ok: false, error: toErrorShape(err) }
      }
    },
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      closed = true
      void autoSync?.stop()
      autoSync = undefined
      jobs.cancelAll()
      // Releases the ONNX sessions (embedders in their workers, heads here); nothing of it needs the
      // database, so it may finish after the close.
      const released = Promise.all([releaseSimilar(db), releaseHeadScorers(db)]).then(() => undefined)
      db.close()
      return released
    }
  }
}
