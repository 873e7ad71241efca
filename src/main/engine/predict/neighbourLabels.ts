// A lead's decision counts in the neighbour vote at once, without retraining: a head stores the labels its
// neighbour tickets had when it was trained, and a reviewed ticket's current label replaces that stored
// label (an undone decision puts the label back). A ticket decided after training, unlabelled then, joins
// the neighbours with its vector. Heads trained before neighbours carried ticket ids vote as stored.
import type { TrainedHead } from '../learn/trainHead.ts'
import { activeStoredHead } from './modelsRepo.ts'
import type { Db } from '../store/database.ts'
import { indexFor } from '../similar/similarState.ts'

type Neighbours = NonNullable<TrainedHead['neighbours']>

interface Cached {
  readonly stamp: number
  readonly neighbours: Neighbours
}

const positions = new WeakMap<Neighbours, Map<number, number>>()
const current = new WeakMap<Db, Map<TrainedHead, Cached>>()

function positionsOf(n: Neighbours & { ids: Int32Array }): Map<number, number> {
  let map = positions.get(n)
  if (!map) {
    map = new Map()
    for (let i = 0; i < n.ids.length; i++) map.set(n.ids[i]!, i)
    positions.set(n, map)
  }
  return map
}

/**
 * The head's neighbours with every reviewed ticket's current label for `target`: changed labels replaced
 * (−1, not voting, when the label is one the head does not know or there is none), newly labelled
 * tickets appended. Recomputed only after a review row was added since the last call.
 */
export function neighboursNow(db: Db, target: string, head: TrainedHead): Neighbours | undefined {
  const stored = head.neighbours
  if (!stored?.ids || !head.embedder) return stored
  const stamp = (db.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM reviews WHERE target = ?').get(target) as { n: number }).n
  let cache = current.get(db)
  if (!cache) current.set(db, (cache = new Map()))
  const hit = cache.get(head)
  if (hit?.stamp === stamp) return hit.neighbours
  const reviewed = db
    .prepare(
      `SELECT r.ticket_id AS id, l.value AS value FROM (SELECT DISTINCT ticket_id FROM reviews WHERE target = ?) r
       LEFT JOIN labels l ON l.ticket_id = r.ticket_id AND l.target = ? AND l.current = 1`
    )
    .all(target, target) as { id: number; value: string | null }[]
  const classOf = new Map(head.classes.map((c, i) => [c, i]))
  const at = positionsOf(stored as Neighbours & { ids: Int32Array })
  let labels = stored.labels
  const extra: { id: number; label: number; vector: Float32Array }[] = []
  const index = indexFor(db, head.embedder)
  for (const r of reviewed) {
    const label = r.value === null ? -1 : (classOf.get(r.value) ?? -1)
    const p = at.get(r.id)
    if (p !== undefined) {
      if (labels[p] === label) continue
      if (labels === stored.labels) labels = Int32Array.from(stored.labels)
      labels[p] = label
    } else if (label >= 0) {
      const vector = index.vectorOf(r.id)
      if (vector) extra.push({ id: r.id, label, vector })
    }
  }
  let neighbours: Neighbours = { ...stored, labels }
  if (extra.length) {
    const dim = head.space.embeddingDim
    const vectors = new Float32Array(stored.vectors.length + extra.length * dim)
    vectors.set(stored.vectors)
    extra.forEach((e, i) => vectors.set(e.vector, stored.vectors.length + i * dim))
    const all = new Int32Array(labels.length + extra.length)
    all.set(labels)
    extra.forEach((e, i) => (all[labels.length + i] = e.label))
    const ids = new Int32Array(stored.ids.length + extra.length)
    ids.set(stored.ids)
    extra.forEach((e, i) => (ids[stored.ids!.length + i] = e.id))
    neighbours = { vectors, labels: all, ids }
  }
  cache.set(head, { stamp, neighbours })
  return neighbours
}

/** How many of the tickets nearest a decided one are predicted again: those that may have it among their k voting neighbours. */
export const REPREDICT_REACH = 200

/**
 * Tickets whose vote may have changed because `ticketIds` were decided or undone: the nearest tickets to
 * each in the active head's embedding index (never the decided ticket itself, whose prediction is what
 * the lead reviewed). Empty when the target's head does not blend a vote.
 */
export function ticketsNearDecisions(db: Db, target: string, head: TrainedHead | undefined, ticketIds: readonly number[]): number[] {
  if (!head?.embedder || head.blend.weight === 0 || !activeStoredHead(db, target)) return []
  const index = indexFor(db, head.embedder)
  if (index.size === 0) return []
  const decided = new Set(ticketIds)
  const near = new Set<number>()
  for (const id of ticketIds) {
    const vector = index.vectorOf(id)
    if (!vector) continue
    for (const hit of index.search(vector, REPREDICT_REACH + 1, { excludeIds: decided })) near.add(hit.id)
  }
  return [...near].sort((a, b) => a - b)
}
