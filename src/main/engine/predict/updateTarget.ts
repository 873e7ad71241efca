// "Update model": a new version from the active one after a lead's decisions, in seconds instead of a full
// training. Same classes and feature space; held out are the previous version's validation tickets, less
// those decided since (a decision is there to be learnt), so both versions are measured on the same
// tickets. Where the previous version measured its fit's curvature, the decided tickets are learnt by
// consolidation against it (learn/consolidation.ts: their rows only); else the fit is warm-started from the
// previous weights for a few iterations over every labelled ticket. Promotion follows the usual rule: only
// when better.
import type { HeadMetrics, TrainSummary } from '../../../shared/models.ts'
import { EngineError } from '../../../shared/errors.ts'
import type { TrainedHead } from '../learn/trainHead.ts'
import type { Db } from '../store/database.ts'
import { activeStoredHead, type StoredHead } from './modelsRepo.ts'
import { headOf } from './predictTickets.ts'
import { fitHead, headMetrics, storeAndPromote, type FitWords, type TrainOptions } from './trainTarget.ts'
import { ticketsWithLabels } from './ticketFeatures.ts'

const UPDATE_WORDS: FitWords = { verb: 'update', doing: 'Updating', cancelledWhileEmbedding: 'The update was cancelled while embedding tickets.' }

/** Decisions on `target` not undone, made after `since` (ISO): what an update would learn. */
export function decisionsSince(db: Db, target: string, since: string): number[] {
  const rows = db
    .prepare("SELECT DISTINCT ticket_id AS id FROM reviews WHERE target = ? AND action != 'undo' AND undone = 0 AND at > ?")
    .all(target, since) as { id: number }[]
  return rows.map((r) => r.id)
}

export async function updateTarget(db: Db, opts: Omit<TrainOptions, 'embedder'>): Promise<TrainSummary> {
  const active = activeStoredHead(db, opts.target)
  if (!active) throw new EngineError('BAD_REQUEST', `There is no active model for "${opts.target}" to update: train one first.`)
  const previous = headOf(db, active)
  const data = ticketsWithLabels(db, opts.target)
  const decided = new Set(decisionsSince(db, opts.target, active.summary.createdAt))
  const held = new Set(active.params.validation.ticketIds.filter((id) => !decided.has(id)))
  const validationRows = data.ids.flatMap((id, i) => (held.has(id) ? [i] : []))
  const { head, vectors } = await fitHead(db, opts, data, previous.embedder, UPDATE_WORDS, {
    head: previous,
    validationRows,
    formerValidationIds: active.params.validation.ticketIds
  })
  head.update = { ...head.update!, fromVersion: active.summary.version }
  return storeAndPromote(db, opts, head, data, vectors, sameTickets(active, previous, head, data.ids))
}

/**
 * Both versions on the update's held-out tickets with their current labels: the previous version's
 * stored validation outcome for each (it never trained on them either) next to the update's.
 */
export function sameTickets(active: StoredHead, previous: TrainedHead, updated: TrainedHead, ids: readonly number[]): { previous: HeadMetrics; current: HeadMetrics } | null {
  const oldProbs = previous.validationOutcomes.probabilities
  const C = updated.classes.length
  if (!oldProbs || oldProbs.length !== active.params.validation.ticketIds.length * C || updated.validationIndex.length === 0) return null
  const oldAt = new Map(active.params.validation.ticketIds.map((id, i) => [id, i]))
  const theirs = new Float32Array(updated.validationIndex.length * C)
  const truth = updated.validationOutcomes.truth
  for (let i = 0; i < updated.validationIndex.length; i++) {
    const at = oldAt.get(ids[updated.validationIndex[i]!]!)
    if (at === undefined) return null
    theirs.set(oldProbs.subarray(at * C, (at + 1) * C), i * C)
  }
  const method = updated.validation.method
  return {
    previous: headMetrics(truth, theirs, updated.classes, method),
    current: headMetrics(truth, updated.validationOutcomes.probabilities, updated.classes, method)
  }
}
