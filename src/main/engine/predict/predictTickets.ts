// Predicts tickets with a target's active head: all of them after training or activation, or the tickets
// an active head has no current prediction for (after an import, at engine start, on repair). Heads are
// loaded once per database and kept while they stay active.
import * as ort from 'onnxruntime-node'
import { sha256OfFile } from '../inference/fileChecksum.ts'
import { runOnnxHead } from '../learn/headOnnx.ts'
import { predictProbabilities, type TrainedHead } from '../learn/trainHead.ts'
import type { Db } from '../store/database.ts'
import { indexTickets } from '../similar/similarService.ts'
import { indexFor } from '../similar/similarState.ts'
import { loadHeadFile } from './headFile.ts'
import type { PredictionFill } from '../../../shared/models.ts'
import { listHeads, type HeadParams, type StoredHead } from './modelsRepo.ts'
import { neighboursNow } from './neighbourLabels.ts'
import { neighbourLists, prepareNeighbourLists } from './neighbourLists.ts'
import { ticketsLackingPrediction } from './predictionGaps.ts'
import { reviewPolicy, writePredictions, type TicketPrediction } from './predictionWriter.ts'
import { ticketsWithLabels, vectorsOf } from './ticketFeatures.ts'

const loaded = new WeakMap<Db, Map<number, TrainedHead>>()
/**
 * Tickets per chunk. Building a chunk's features and its neighbour vote runs on the engine's thread, and
 * requests wait for it: 2,000 held the engine for over a second on a 5,000-ticket store; 250 keeps a
 * chunk to about a tenth of that at little cost in throughput (the graph run per chunk is tiny).
 */
const CHUNK = 250
/** The part of predictAll's progress a whole search in a worker takes: about half its time (bench:update). */
const SEARCH_SHARE = 0.5

/** The trained head behind a models row, loaded once per database. */
export function headOf(db: Db, stored: StoredHead): TrainedHead {
  let cache = loaded.get(db)
  if (!cache) loaded.set(db, (cache = new Map()))
  let head = cache.get(stored.summary.id)
  if (!head) {
    head = withLocalTicketIds(loadHeadFile<TrainedHead>(stored.file, stored.summary.sha256), stored.params)
    cache.set(stored.summary.id, head)
  }
  return head
}

/**
 * A head pulled from the team names its neighbour tickets by another desktop's row ids: here it votes with
 * the labels it was trained with (decisions made here join its vote once a version is trained or updated
 * here), and an update searches its validation tickets' neighbours again instead of reusing them.
 */
export function withLocalTicketIds(head: TrainedHead, params: Pick<HeadParams, 'foreignTicketIds'>): TrainedHead {
  if (!params.foreignTicketIds) return head
  const { validationNeighbours: _dropped, neighbours, ...rest } = head
  return { ...rest, ...(neighbours ? { neighbours: { vectors: neighbours.vectors, labels: neighbours.labels } } : {}) }
}

type HeadScorer = (head: TrainedHead, texts: string[], embeddings: Float32Array | undefined) => Promise<Float32Array | undefined>

const scorers = new WeakMap<Db, Map<number, Promise<HeadScorer>>>()
/** The onnxruntime sessions behind a database's scorers, released when its engine closes. */
const headSessions = new WeakMap<Db, ort.InferenceSession[]>()
/** Why a head's graph could not be used, per database and model id. */
const graphProblems = new WeakMap<Db, Map<number, string>>()

/** Null while the head's ONNX graph runs in onnxruntime; else why the JavaScript head predicts instead. */
export function headGraphProblem(db: Db, modelId: number): string | null {
  return graphProblems.get(db)?.get(modelId) ?? null
}

function noteGraphProblem(db: Db, modelId: number, problem: string): void {
  let problems = graphProblems.get(db)
  if (!problems) graphProblems.set(db, (problems = new Map()))
  problems.set(modelId, problem)
}

/**
 * The head's ONNX graph in an onnxruntime session, loaded once per database. A missing, altered or
 * unloadable graph is noted and the JavaScript head (the same weights) predicts instead: predictions
 * never stop because a file next to the head went bad.
 */
function scorerOf(db: Db, stored: StoredHead): Promise<HeadScorer> {
  let cache = scorers.get(db)
  if (!cache) scorers.set(db, (cache = new Map()))
  let scorer = cache.get(stored.summary.id)
  if (!scorer) {
    scorer = (async (): Promise<HeadScorer> => {
      const js: HeadScorer = () => Promise.resolve(undefined)
      const graph = stored.graph
      if (!graph) {
        noteGraphProblem(db, stored.summary.id, 'trained before heads were saved as ONNX graphs')
        return js
      }
      try {
        const sha = await sha256OfFile(graph.path)
        if (sha !== graph.sha256) throw new Error(`${graph.path}: sha256 ${sha}, the models table expects ${graph.sha256}`)
        // One thread: the engine predicts in chunks between other work, and the graph is tiny.
        const session = await ort.InferenceSession.create(graph.path, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 })
        let open = headSessions.get(db)
        if (!open) headSessions.set(db, (open = []))
        open.push(session)
        return (head, texts, embeddings) => runOnnxHead(session, head, texts, embeddings)
      } catch (err) {
        noteGraphProblem(db, stored.summary.id, (err as Error).message.split('\n')[0]!)
        console.warn(`head ${stored.summary.target} v${stored.summary.version}: predicting with the JavaScript head: ${(err as Error).message}`)
        return js
      }
    })()
    cache.set(stored.summary.id, scorer)
  }
  return scorer
}

/** Releases the heads' onnxruntime sessions of `db` (at engine close); a later prediction loads them again. */
export async function releaseHeadScorers(db: Db): Promise<void> {
  const open = headSessions.get(db) ?? []
  headSessions.delete(db)
  scorers.delete(db)
  await Promise.all(open.map((session) => session.release()))
}

/** Predicts `ids` (or every ticket) with `stored`, in chunks so memory stays bounded; `signal` stops between chunks. */
export async function predictAll(
  db: Db,
  stored: StoredHead,
  sampleRate: number,
  onProgress?: (fraction: number) => void,
  ids?: readonly number[],
  signal?: AbortSignal
): Promise<{ predicted: number; needsReview: number }> {
  const head = headOf(db, stored)
  const score = await scorerOf(db, stored)
  const all = ids ?? (db.prepare('SELECT id FROM tickets ORDER BY id').all() as { id: number }[]).map((r) => r.id)
  const policy = reviewPolicy(stored.summary.thresholds, sampleRate)
  const C = head.classes.length
  let needsReview = 0
  let predicted = 0
  // Many tickets without a kept neighbour list (a whole store after a training): search them at once in a
  // worker thread, as the first part of the progress bar; the chunks below then only read the lists.
  let share = 0
  const keysNow = head.blend.weight > 0 && head.embedder ? neighboursNow(db, stored.summary.target, head) : undefined
  if (keysNow && head.embedder) {
    const index = indexFor(db, head.embedder)
    const searched = await prepareNeighbourLists(db, head.embedder, keysNow, head.blend.k, all, (id) => index.vectorOf(id), head.space.embeddingDim, {
      signal,
      onProgress: (done, total) => {
        share = SEARCH_SHARE
        onProgress?.(SEARCH_SHARE * (done / Math.max(1, total)))
      }
    }).catch((err: unknown) => {
      // The chunks below search whatever has no list: a failed worker costs time, not the predictions.
      if (!signal?.aborted) console.warn(`searching neighbours in a worker thread failed; searching chunk by chunk: ${(err as Error).message}`)
      return 0
    })
    // Once the bar has moved for the search it stays there, even if the search then failed.
    if (searched > 0) share = SEARCH_SHARE
  }
  for (let at = 0; at < all.length; at += CHUNK) {
    if (signal?.aborted) break
    const batch = ticketsWithLabels(db, stored.summary.target, all.slice(at, at + CHUNK))
    let embeddings: Float32Array | undefined
    if (head.embedder) {
      await indexTickets(db, batch.ids, { embedder: head.embedder })
      embeddings = vectorsOf(db, head.embedder, batch.ids).vectors
    }
    const keys = neighboursNow(db, stored.summary.target, head)
    // The vote's neighbours from the lists kept since the last prediction (the same vectors, the same
    // labelled tickets and a few more): a full search of every ticket again was most of this loop's time.
    const nearest =
      head.blend.weight > 0 && head.embedder && keys && embeddings
        ? await neighbourLists(db, head.embedder, keys, head.blend.k, batch.ids, embeddings, head.space.embeddingDim)
        : undefined
    const probs = await predictProbabilities(head, batch.texts, embeddings, await score(head, batch.texts, embeddings), keys, nearest)
    const predictions: TicketPrediction[] = batch.ids.map((ticketId, r) => {
      const ranked = head.classes.map((label, c) => ({ label, p: probs[r * C + c]! })).sort((a, b) => b.p - a.p)
      return { ticketId, ranked }
    })
    needsReview += writePredictions(db, stored.summary.id, predictions, policy)
    predicted += predictions.length
    onProgress?.(share + (1 - share) * Math.min(1, (at + CHUNK) / Math.max(1, all.length)))
    await new Promise((r) => setImmediate(r))
  }
  return { predicted, needsReview }
}

export interface FillOptions {
  readonly signal?: AbortSignal | undefined
  /** Tickets done so far of all the active heads have to predict. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined
}

/**
 * Every active head predicts the tickets it has no current prediction for. Driven by what is missing, not
 * by which import brought a ticket, so tickets of an import that stopped before predicting are caught up
 * too. A head that cannot predict (its embedder was removed, say) does not stop the others; the first
 * such failure is thrown once they have run.
 */
export async function predictMissing(db: Db, sampleRate: number, options: FillOptions = {}): Promise<PredictionFill> {
  const work = listHeads(db)
    .filter((h) => h.summary.active)
    .map((head) => ({ head, ids: ticketsLackingPrediction(db, head.summary.id) }))
    .filter((w) => w.ids.length > 0)
  const total = work.reduce((n, w) => n + w.ids.length, 0)
  const targets: PredictionFill['targets'][number][] = []
  let done = 0
  let failure: unknown
  for (const { head, ids } of work) {
    if (options.signal?.aborted) break
    const { target, id: modelId, version } = head.summary
    try {
      const r = await predictAll(db, head, sampleRate, (f) => options.onProgress?.(done + Math.round(f * ids.length), total), ids, options.signal)
      targets.push({ target, modelId, version, predicted: r.predicted, needsReview: r.needsReview })
    } catch (err) {
      console.error(`predicting ${target} v${version}: ${(err as Error).message}`)
      failure ??= err
    }
    done += ids.length
  }
  if (failure !== undefined) throw failure
  return {
    predicted: targets.reduce((n, t) => n + t.predicted, 0),
    needsReview: targets.reduce((n, t) => n + t.needsReview, 0),
    targets
  }
}
