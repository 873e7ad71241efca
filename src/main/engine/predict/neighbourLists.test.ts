import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { nearestNeighbours } from '../learn/neighbourSearch.ts'
import { tempDir } from '../similar/similarFixtures.ts'
import { openDatabase, type Db } from '../store/database.ts'
import { neighbourLists, prepareNeighbourLists, WORKER_SEARCH_MIN } from './neighbourLists.ts'

// Kept lists must give exactly what a full search gives, whatever happened to the keys in between: more
// keys (decisions on new tickets), an edited ticket, a key gone (an undone decision), another embedder.
const DIM = 16
const K = 5

function seeded(seed: number): () => number {
  let s = seed >>> 0
  return () => ((s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32
}

function unitRows(n: number, random: () => number): Float32Array {
  const out = new Float32Array(n * DIM)
  for (let r = 0; r < n; r++) {
    let norm = 0
    for (let d = 0; d < DIM; d++) norm += (out[r * DIM + d] = random() - 0.5) ** 2
    for (let d = 0; d < DIM; d++) out[r * DIM + d]! /= Math.sqrt(norm)
  }
  return out
}

function keysOf(vectors: Float32Array, ids: number[]) {
  return { vectors, labels: new Int32Array(ids.length), ids: Int32Array.from(ids) }
}

let dir: string
let db: Db
beforeEach(() => {
  dir = tempDir('triage-neighbour-lists-')
  db = openDatabase(join(dir, 'db.sqlite'))
})
afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

async function expectExact(keys: ReturnType<typeof keysOf>, ticketIds: number[], queries: Float32Array, embedder = 'e'): Promise<void> {
  const kept = await neighbourLists(db, embedder, keys, K, ticketIds, queries, DIM)
  const full = await nearestNeighbours(queries, keys.vectors, DIM, K)
  expect(kept.k).toBe(full.k)
  expect(Array.from(kept.indices)).toEqual(Array.from(full.indices))
  for (let i = 0; i < full.scores.length; i++) expect(kept.scores[i]).toBeCloseTo(full.scores[i]!, 5)
}

describe('neighbour lists kept between predictions', () => {
  it('give exactly the full search after keys are added, a ticket is edited, a key is gone, or the embedder changes', async () => {
    const random = seeded(7)
    const keyVectors = unitRows(300, random)
    const keyIds = Array.from({ length: 300 }, (_, i) => 1000 + i)
    const queries = unitRows(40, random)
    const tickets = Array.from({ length: 40 }, (_, i) => i + 1)
    await expectExact(keysOf(keyVectors, keyIds), tickets, queries)

    // Decisions on new tickets: twelve keys appended, some of them very close to queries.
    const extra = unitRows(12, random)
    for (let i = 0; i < 4; i++) extra.set(queries.subarray(i * DIM, (i + 1) * DIM), i * DIM)
    const grown = new Float32Array(keyVectors.length + extra.length)
    grown.set(keyVectors)
    grown.set(extra, keyVectors.length)
    const grownIds = [...keyIds, ...Array.from({ length: 12 }, (_, i) => 5000 + i)]
    await expectExact(keysOf(grown, grownIds), tickets, queries)

    // A ticket edited: its vector changed; plus a few tickets seen for the first time.
    const edited = queries.slice()
    edited.set(unitRows(1, random), 3 * DIM)
    const more = new Float32Array(edited.length + 5 * DIM)
    more.set(edited)
    more.set(unitRows(5, random), edited.length)
    await expectExact(keysOf(grown, grownIds), [...tickets, 41, 42, 43, 44, 45], more)

    // A key gone (its decision undone) and the rest in another order.
    const fewer = keysOf(grown.slice(DIM), grownIds.slice(1))
    await expectExact(fewer, tickets, queries)
    await expectExact(fewer, tickets, queries, 'another-embedder')
  })

  it('answers again from its lists, and searches again a ticket whose vector moved', async () => {
    const random = seeded(11)
    const keys = keysOf(unitRows(200, random), Array.from({ length: 200 }, (_, i) => i + 1))
    const queries = unitRows(30, random)
    const tickets = Array.from({ length: 30 }, (_, i) => 500 + i)
    const first = await neighbourLists(db, 'e', keys, K, tickets, queries, DIM)
    const again = await neighbourLists(db, 'e', keys, K, tickets, queries, DIM)
    expect(Array.from(again.indices)).toEqual(Array.from(first.indices))
    const moved = queries.slice()
    moved.set(keys.vectors.subarray(0, DIM), 0)
    const after = await neighbourLists(db, 'e', keys, K, tickets, moved, DIM)
    expect(after.indices[0]).toBe(0)
    expect(after.scores[0]).toBeCloseTo(1, 5)
  })

  it('are searched in a worker thread before a large prediction, exactly as the full search, and only once', async () => {
    const random = seeded(23)
    const n = WORKER_SEARCH_MIN + 150
    const keys = keysOf(unitRows(400, random), Array.from({ length: 400 }, (_, i) => 10_000 + i))
    const queries = unitRows(n, random)
    const tickets = Array.from({ length: n }, (_, i) => i + 1)
    // Ticket 7 has no vector yet: it is left to the chunks, which search it themselves.
    const vectorOf = (id: number): Float32Array | undefined => (id === 7 ? undefined : queries.subarray((id - 1) * DIM, id * DIM))
    const progress: number[] = []
    const searched = await prepareNeighbourLists(db, 'e', keys, K, tickets, vectorOf, DIM, { onProgress: (done, total) => progress.push(done / total) })
    expect(searched).toBe(n - 1)
    expect(progress.at(-1)).toBe(1)
    await expectExact(keys, tickets, queries)
    // Every list is kept now: nothing is searched again.
    expect(await prepareNeighbourLists(db, 'e', keys, K, tickets, vectorOf, DIM)).toBe(0)
  })

  it('stop the worker search when the prediction is cancelled', async () => {
    const random = seeded(29)
    const n = WORKER_SEARCH_MIN
    const keys = keysOf(unitRows(100, random), Array.from({ length: 100 }, (_, i) => 20_000 + i))
    const queries = unitRows(n, random)
    const controller = new AbortController()
    controller.abort()
    const tickets = Array.from({ length: n }, (_, i) => i + 1)
    await expect(prepareNeighbourLists(db, 'e', keys, K, tickets, (id) => queries.subarray((id - 1) * DIM, id * DIM), DIM, { signal: controller.signal })).rejects.toThrow(/abort/i)
  })
})
