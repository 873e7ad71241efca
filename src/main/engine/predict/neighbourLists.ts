// Each ticket's nearest labelled tickets, kept between predictions. Re-predicting every ticket after an
// update (or a training on the same tickets) used to search all ~40k labelled vectors again for each of
// ~48k tickets: a 150-GFLOP scan, two thirds of the 33 s the Update model job spent predicting after its
// new version was stored (bench:update). But the vectors do not change when a model does, and the
// labelled tickets are the same ones plus the few decided since; only their labels move, and the vote
// reads labels afresh. So a ticket's list is searched once and then merged with the keys added since:
// the k best of (its list ∪ the k best among the added keys) are exactly the k best of all of them,
// as long as every key of its list is still there with the same vector. Lists are checked against
// fingerprints of the vectors (the ticket's own and its neighbours'), so an edited ticket or a key set
// that lost a ticket (an undone decision) is searched in full instead.
import { nearestNeighbours, type Neighbours } from '../learn/neighbourSearch.ts'
import { nearestNeighboursInWorker, type SearchHooks } from '../learn/neighbourWorker.ts'
import type { TrainedHead } from '../learn/trainHead.ts'
import type { Db } from '../store/database.ts'

type Keys = NonNullable<TrainedHead['neighbours']>

interface TicketList {
  readonly vector: number
  readonly ids: Int32Array
  readonly scores: Float32Array
}

/** Lists searched over one set of keys (and merged with keys added since). */
interface Lists {
  readonly embedder: string
  readonly k: number
  /** Fingerprint of each key's vector, by ticket id, when the lists were begun. */
  readonly keys: Map<number, number>
  readonly byTicket: Map<number, TicketList>
}

/** How a key set relates to the lists: each key's position, and the keys the lists were not searched over. */
interface Layout {
  readonly lists: Lists
  readonly at: Map<number, number>
  readonly fingerprints: Map<number, number>
  readonly added: Int32Array
  readonly addedVectors: Float32Array
}

/** More keys than this added since the lists began: searching them per batch is no longer cheap; start again. */
const MAX_ADDED = 5000

const listsOf = new WeakMap<Db, Lists>()
const layouts = new WeakMap<Keys, Layout>()

/** FNV-1a over a vector's float bits: equal vectors, equal fingerprints. */
export function vectorFingerprint(vectors: Float32Array, row: number, dim: number): number {
  const bits = new Uint32Array(vectors.buffer, vectors.byteOffset + row * dim * 4, dim)
  let h = 0x811c9dc5
  for (let i = 0; i < dim; i++) h = Math.imul(h ^ bits[i]!, 0x01000193)
  return h >>> 0
}

function layoutOf(db: Db, embedder: string, keys: Keys & { ids: Int32Array }, k: number, dim: number): Layout {
  const known = layouts.get(keys)
  const current = listsOf.get(db)
  if (known && known.lists === current) return known
  const fingerprints = new Map<number, number>()
  const at = new Map<number, number>()
  for (let i = 0; i < keys.ids.length; i++) {
    at.set(keys.ids[i]!, i)
    fingerprints.set(keys.ids[i]!, vectorFingerprint(keys.vectors, i, dim))
  }
  let lists = current
  let added: number[] = []
  if (lists && lists.embedder === embedder && lists.k >= k) {
    for (const [id, print] of lists.keys) {
      if (fingerprints.get(id) !== print) {
        lists = undefined
        break
      }
    }
    if (lists) for (let i = 0; i < keys.ids.length; i++) if (!lists.keys.has(keys.ids[i]!)) added.push(i)
    if (added.length > MAX_ADDED) lists = undefined
  } else lists = undefined
  if (!lists) {
    lists = { embedder, k, keys: fingerprints, byTicket: new Map() }
    listsOf.set(db, lists)
    added = []
  }
  const addedVectors = new Float32Array(added.length * dim)
  added.forEach((p, i) => addedVectors.set(keys.vectors.subarray(p * dim, (p + 1) * dim), i * dim))
  const layout: Layout = { lists, at, fingerprints, added: Int32Array.from(added), addedVectors }
  layouts.set(keys, layout)
  return layout
}

/** The keys the lists were searched over (every key but the added ones), as one matrix and their positions. */
function baseOf(layout: Layout, keys: Keys, dim: number): { vectors: Float32Array; positions: Int32Array | undefined } {
  if (layout.added.length === 0) return { vectors: keys.vectors, positions: undefined }
  const added = new Set(layout.added)
  const positions = Int32Array.from({ length: keys.labels.length - added.size }, () => 0)
  let n = 0
  for (let p = 0; p < keys.labels.length; p++) if (!added.has(p)) positions[n++] = p
  return { vectors: pick(keys.vectors, Array.from(positions), dim), positions }
}

/**
 * The k nearest keys of each query (ticket `ticketIds[r]`, vector row r of `queries`), as indices into
 * `keys`: what `nearestNeighbours(queries, keys.vectors, dim, k)` returns, from the lists kept for this
 * database where they still hold. A ticket without one (or whose vector changed) is searched over the
 * keys the lists were begun with; then every ticket's list is merged with the best of the added keys.
 */
export async function neighbourLists(db: Db, embedder: string, keys: Keys, k: number, ticketIds: readonly number[], queries: Float32Array, dim: number): Promise<Neighbours> {
  if (!keys.ids || keys.ids.length === 0 || k === 0) return nearestNeighbours(queries, keys.vectors, dim, k)
  const ids = keys.ids
  const layout = layoutOf(db, embedder, keys as Keys & { ids: Int32Array }, k, dim)
  const { lists, at } = layout
  const kk = Math.min(k, ids.length)
  await searchMissing(layout, keys as Keys & { ids: Int32Array }, kk, ticketIds, queries, dim, nearestNeighbours)
  const fromAdded = layout.added.length > 0 ? await nearestNeighbours(queries, layout.addedVectors, dim, Math.min(kk, layout.added.length)) : undefined
  const indices = new Int32Array(ticketIds.length * kk)
  const scores = new Float32Array(ticketIds.length * kk)
  ticketIds.forEach((id, r) => {
    const list = lists.byTicket.get(id)!
    const candidates: [number, number][] = Array.from(list.ids, (key, j) => [at.get(key)!, list.scores[j]!])
    for (let j = 0; fromAdded && j < fromAdded.k; j++) candidates.push([layout.added[fromAdded.indices[r * fromAdded.k + j]!]!, fromAdded.scores[r * fromAdded.k + j]!])
    candidates.sort((a, b) => b[1] - a[1] || a[0] - b[0])
    for (let j = 0; j < kk; j++) {
      indices[r * kk + j] = candidates[j]![0]
      scores[r * kk + j] = candidates[j]![1]
    }
  })
  return { k: kk, indices, scores }
}

/** Whether the ticket's kept list is for this vector and long enough to answer without a search. */
function listHolds(lists: Lists, id: number, print: number, kk: number): boolean {
  const list = lists.byTicket.get(id)
  return list !== undefined && list.vector === print && list.ids.length >= Math.min(kk, lists.keys.size)
}

type Searcher = (queries: Float32Array, keys: Float32Array, dim: number, k: number) => Promise<Neighbours>

/** Searches the tickets among `ticketIds` that have no list (or one for another vector) and keeps their lists; how many were searched. */
async function searchMissing(
  layout: Layout,
  keys: Keys & { ids: Int32Array },
  kk: number,
  ticketIds: readonly number[],
  queries: Float32Array,
  dim: number,
  searcher: Searcher,
  prints: readonly number[] = ticketIds.map((_, r) => vectorFingerprint(queries, r, dim))
): Promise<number> {
  const { lists } = layout
  const search = ticketIds.flatMap((id, r) => (listHolds(lists, id, prints[r]!, kk) ? [] : [r]))
  if (search.length === 0) return 0
  const base = baseOf(layout, keys, dim)
  const found = await searcher(search.length === ticketIds.length ? queries : pick(queries, search, dim), base.vectors, dim, Math.min(kk, lists.keys.size))
  search.forEach((r, i) => {
    const row = found.indices.subarray(i * found.k, (i + 1) * found.k)
    lists.byTicket.set(ticketIds[r]!, {
      vector: prints[r]!,
      ids: Int32Array.from(row, (p) => keys.ids[base.positions ? base.positions[p]! : p]!),
      scores: found.scores.slice(i * found.k, (i + 1) * found.k)
    })
  })
  return search.length
}

/** Below this many tickets to search, a prediction searches chunk by chunk on its own thread (each run is short). */
export const WORKER_SEARCH_MIN = 2000

/**
 * Searches, in one worker thread, the lists that `ticketIds` lack, before a prediction of many tickets
 * (a whole store after a training) reads them chunk by chunk: the engine's thread stays free, and one
 * search of 48k tickets ran in 14 s where 190 chunk-sized ones took 31 s. Tickets without a vector yet
 * are left to the chunks. Resolves with how many tickets were searched (0 below WORKER_SEARCH_MIN).
 */
export async function prepareNeighbourLists(db: Db, embedder: string, keys: Keys, k: number, ticketIds: readonly number[], vectorOf: (id: number) => Float32Array | undefined, dim: number, hooks: SearchHooks = {}): Promise<number> {
  if (!keys.ids || keys.ids.length === 0 || k === 0 || ticketIds.length < WORKER_SEARCH_MIN) return 0
  const layout = layoutOf(db, embedder, keys as Keys & { ids: Int32Array }, k, dim)
  const kk = Math.min(k, keys.ids.length)
  // Only the tickets that need a search are copied out (a kept list is checked against its fingerprint).
  const withVector: number[] = []
  const vectors: Float32Array[] = []
  const prints: number[] = []
  for (const id of ticketIds) {
    const v = vectorOf(id)
    if (!v) continue
    const print = vectorFingerprint(v, 0, dim)
    if (listHolds(layout.lists, id, print, kk)) continue
    withVector.push(id)
    vectors.push(v)
    prints.push(print)
  }
  if (withVector.length < WORKER_SEARCH_MIN) return 0
  const queries = new Float32Array(withVector.length * dim)
  vectors.forEach((v, i) => queries.set(v, i * dim))
  const inWorker: Searcher = (q, base, d, kq) => nearestNeighboursInWorker(q, base, d, kq, hooks)
  return searchMissing(layout, keys as Keys & { ids: Int32Array }, kk, withVector, queries, dim, inWorker, prints)
}

function pick(rows: Float32Array, which: readonly number[], dim: number): Float32Array {
  const out = new Float32Array(which.length * dim)
  which.forEach((r, i) => out.set(rows.subarray(r * dim, (r + 1) * dim), i * dim))
  return out
}
