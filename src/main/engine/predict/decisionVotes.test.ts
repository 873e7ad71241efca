import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TrainSummary } from '../../../shared/models.ts'
import { createEngine, type Engine } from '../api/engine.ts'
import { importWithFollowUp, jobEnded, nextEvent } from '../api/engineEvents.ts'
import { modelsForTests } from '../inference/testEncoder.ts'
import { predictProbabilities, type TrainedHead } from '../learn/trainHead.ts'
import { BUECK_TEST_CSV, csvSlice, tempDir, writeCsv } from '../similar/similarFixtures.ts'
import { repredictNearDecisions } from './decisionVotes.ts'
import { activeStoredHead } from './modelsRepo.ts'
import { neighboursNow } from './neighbourLabels.ts'
import { headOf } from './predictTickets.ts'
import { ticketsWithLabels, vectorsOf } from './ticketFeatures.ts'

// A lead's decision in the neighbour vote at once, and "Update model" after decisions: real tickets, a
// real SQLite file, the default embedder (or the test encoder without ../shared), the engine's requests.
let engine: Engine
let head: TrainedHead
const models = modelsForTests()

beforeAll(async () => {
  const dir = tempDir('triage-decision-votes-')
  engine = createEngine({ dbPath: join(dir, 'db.sqlite'), modelsDir: models.dir })
  const { header, records } = csvSlice(BUECK_TEST_CSV, 400)
  await importWithFollowUp(engine, writeCsv(join(dir, 'a.csv'), header, records))
  const { jobId } = await engine.call('model.train', { target: 'queue' })
  const done = await nextEvent(engine, jobEnded(jobId))
  expect(done.event).toBe('job.done')
  head = headOf(engine.db, activeStoredHead(engine.db, 'queue')!)
}, 180_000)
afterAll(() => engine.close())

/** The pure neighbour vote for one ticket (head weight 0, no temperature): what the decision changes. */
async function voteFor(ticketId: number): Promise<Float32Array> {
  const batch = ticketsWithLabels(engine.db, 'queue', [ticketId])
  const { vectors } = vectorsOf(engine.db, head.embedder!, batch.ids)
  const voteOnly: TrainedHead = { ...head, temperature: 1, blend: { ...head.blend, weight: 1 } }
  return predictProbabilities(voteOnly, batch.texts, vectors, undefined, neighboursNow(engine.db, 'queue', head))
}

const storedPrediction = (ticketId: number): { label: string; confidence: number } =>
  engine.db.prepare('SELECT label, confidence FROM predictions WHERE ticket_id = ? AND model_id = ?').get(ticketId, activeStoredHead(engine.db, 'queue')!.summary.id) as {
    label: string
    confidence: number
  }

describe('a decision in the neighbour vote', () => {
  it("counts a reviewed label as the neighbour's label at once, and undo puts the old one back", async () => {
    expect(head.neighbours?.ids?.length).toBe(head.trainingRows)
    const labels = ticketsWithLabels(engine.db, 'queue')
    // A labelled ticket and its nearest ticket: the decided ticket is among that one's voting neighbours.
    const decided = labels.ids[0]!
    const before = labels.labels[0]!
    const near = (await engine.call('similar.query', { ticketId: decided, k: 1 })).hits[0]!.ticketId
    const other = head.classes.find((c) => c !== before)!
    const c = head.classes.indexOf(other)
    const voteBefore = await voteFor(near)

    await engine.call('review.decide', { ticketId: decided, target: 'queue', label: other })
    const position = Array.from(head.neighbours!.ids!).indexOf(decided)
    expect(head.classes[neighboursNow(engine.db, 'queue', head)!.labels[position]!]).toBe(other)
    // The stored head is unchanged: no retraining happened.
    expect(head.classes[head.neighbours!.labels[position]!]).toBe(before)
    const voteAfter = await voteFor(near)
    expect(voteAfter[c]!).toBeGreaterThan(voteBefore[c]! + 0.01)

    await engine.call('review.undo', { target: 'queue' })
    expect(head.classes[neighboursNow(engine.db, 'queue', head)!.labels[position]!]).toBe(before)
    expect(Array.from(await voteFor(near))).toEqual(Array.from(voteBefore))
  }, 60_000)

  // The test encoder's vectors carry too little for the blend to use the vote (weight 0: nothing to re-predict).
  it.skipIf(!models.real)('re-predicts the tickets near a decision with the vote as it is now', async () => {
    expect(head.blend.weight).toBeGreaterThan(0)
    const labels = ticketsWithLabels(engine.db, 'queue')
    const decided = labels.ids[1]!
    const near = (await engine.call('similar.query', { ticketId: decided, k: 1 })).hits[0]!.ticketId
    const before = storedPrediction(near)
    await engine.call('review.decide', { ticketId: decided, target: 'queue', label: head.classes.find((c) => c !== labels.labels[1])! })
    expect(await repredictNearDecisions(engine.db, 'queue', [decided], 0)).toBeGreaterThan(0)
    expect(storedPrediction(near)).not.toEqual(before)
    await engine.call('review.undo', { target: 'queue' })
  }, 60_000)

  it('a ticket unlabelled at training joins the neighbours once decided', async () => {
    // The head as if the last ticket had had no label when it was trained.
    const dim = head.space.embeddingDim
    const n = head.neighbours!
    const id = n.ids!.at(-1)!
    const without: TrainedHead = { ...head, neighbours: { vectors: n.vectors.slice(0, -dim), labels: n.labels.slice(0, -1), ids: n.ids!.slice(0, -1) } }
    await engine.call('review.decide', { ticketId: id, target: 'queue', label: head.classes[0]! })
    const now = neighboursNow(engine.db, 'queue', without)!
    expect(Array.from(now.ids!)).toEqual([...Array.from(without.neighbours!.ids!), id])
    expect(now.labels.at(-1)).toBe(0)
    expect(Array.from(now.vectors.subarray(-dim))).toEqual(Array.from(n.vectors.subarray(-dim)))
  }, 60_000)
})

describe('Update model', () => {
  it('makes a new version from the active one, measured on the same held-out tickets', async () => {
    const { jobId } = await engine.call('model.update', { target: 'queue' })
    const done = await nextEvent(engine, jobEnded(jobId))
    expect(done.event).toBe('job.done')
    const summary = (done.payload as { result: TrainSummary }).result
    expect(summary.model.version).toBe(2)
    expect(summary.model.update?.fromVersion).toBe(1)
    expect(summary.previous?.version).toBe(1)
    expect(summary.previousOnSameData?.validationRows).toBe(summary.model.metrics.validationRows)
    expect(summary.model.classes).toEqual(head.classes)
    // Same tuning as the version it came from.
    expect(summary.model.selection?.l2).toBe(head.selection!.l2)
  }, 120_000)

  it('runs by itself after the set number of decisions since the newest version', async () => {
    await engine.call('settings.set', { autoUpdateAfter: 2 })
    const ids = ticketsWithLabels(engine.db, 'queue').ids
    const updated = nextEvent(engine, (e) => e.event === 'job.done' && (e.payload as { kind?: string }).kind === 'train')
    const trainEvents: string[] = []
    const off = engine.onEvent((e) => (e.payload as { kind?: string }).kind === 'train' && trainEvents.push(e.event))
    await engine.call('review.decide', { ticketId: ids[5]!, target: 'queue' })
    await new Promise((r) => setTimeout(r, 500))
    // One decision since v2: no update yet.
    expect(trainEvents).toEqual([])
    off()
    await engine.call('review.decide', { ticketId: ids[6]!, target: 'queue' })
    const summary = ((await updated).payload as { result: TrainSummary }).result
    expect(summary.model.version).toBe(3)
    expect(summary.model.update).toBeDefined()
  }, 120_000)
})
