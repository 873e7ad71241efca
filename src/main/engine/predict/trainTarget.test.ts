import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BUECK_TEST_CSV, csvSlice, tempDir, writeCsv } from '../similar/similarFixtures.ts'
import type { WireEvent } from '../../../shared/contract.ts'
import { createEngine, type Engine } from '../api/engine.ts'
import { indexDone, jobEnded, nextEvent } from '../api/engineEvents.ts'
import { writeFixture } from '../ingest/nastyFixtures.ts'
import { existsSync, writeFileSync } from 'node:fs'
import { predictProbabilities } from '../learn/trainHead.ts'
import { activeStoredHead } from './modelsRepo.ts'
import { headGraphProblem, headOf } from './predictTickets.ts'
import { queueExportCsv } from './queueFixtures.ts'
import { ticketsWithLabels } from './ticketFeatures.ts'

// Real tickets, the built-in featuriser (no download), the engine's own requests and job events.
let dir: string
let engine: Engine

beforeEach(() => {
  dir = tempDir('triage-train-')
  engine = createEngine({ dbPath: join(dir, 'db.sqlite'), modelsDir: join(dir, 'no-models') })
})
afterEach(() => engine.close())

const jobEnd = (jobId: string): Promise<WireEvent> => nextEvent(engine, jobEnded(jobId))

/** Resolves when the follow-on job after an import (indexing, then predictions) has finished. */
const afterImportDone = (): Promise<WireEvent> => nextEvent(engine, indexDone)

async function importFile(path: string): Promise<void> {
  const followUp = afterImportDone()
  const { jobId } = await engine.call('import.start', { path })
  await jobEnd(jobId)
  await followUp
}

/** Real tickets: the first rows of the bueck export (long multilingual bodies). */
function bueckRows(name: string, from: number, to: number): string {
  const { header, records } = csvSlice(BUECK_TEST_CSV, to)
  return writeCsv(join(dir, name), header, records.slice(from))
}

async function train(target: string): Promise<WireEvent> {
  const { jobId } = await engine.call('model.train', { target, embedder: 'none' })
  return jobEnd(jobId)
}

describe('training in the app', () => {
  it('trains, predicts every ticket with calibrated top-3, flags review, and previews thresholds', async () => {
    await importFile(bueckRows('a.csv', 0, 120))
    const done = await train('queue')
    expect(done.event).toBe('job.done')
    const summary = (done.payload as { result: import('../../../shared/models.ts').TrainSummary }).result
    expect(summary.activated).toBe(true)
    expect(summary.predicted).toBe(120)
    expect(summary.model.metrics.validationRows).toBeGreaterThan(10)
    expect(summary.model.metrics.accuracy).toBeGreaterThan(0.2)

    const page = await engine.call('tickets.page', { limit: 50 })
    for (const row of page.rows) {
      const p = row.predictions['queue']!
      expect(p.top.length).toBe(3)
      expect(p.top[0]!.label).toBe(p.label)
      expect(Number.isFinite(p.confidence)).toBe(true)
      expect(p.confidence).toBeGreaterThan(0)
      expect(p.confidence).toBeLessThanOrEqual(1)
    }
    const flagged = await engine.call('tickets.page', { limit: 1, prediction: { target: 'queue', needsReview: true } })
    const queue = await engine.call('review.queue', { target: 'queue', limit: 500 })
    expect(queue.total).toBe(flagged.total)
    const conf = queue.items.map((i) => i.confidence)
    expect(conf).toEqual([...conf].sort((a, b) => a - b))

    const preview = await engine.call('model.thresholdsPreview', { modelId: summary.model.id, precision: 0.6 })
    expect(preview.coverage).toBeGreaterThanOrEqual(0)
    expect(preview.coverage).toBeLessThanOrEqual(1)
    await engine.call('model.thresholdsApply', { modelId: summary.model.id, global: 0, perClass: {} })
    // A threshold of 0 routes everything: only the 2 % sample is left for review.
    const after = await engine.call('review.queue', { target: 'queue', limit: 1 })
    expect(after.total).toBeLessThan(Math.max(20, queue.total))
    expect(after.items.every((i) => i.reason === 'sample')).toBe(true)
  })

  it('predicts through the head\'s ONNX graph, and with the JavaScript head when the graph is damaged', async () => {
    await importFile(bueckRows('a.csv', 0, 120))
    const done = await train('queue')
    expect(done.event).toBe('job.done')
    const stored = activeStoredHead(engine.db, 'queue')!
    expect(stored.graph?.path).toMatch(/queue-[0-9a-f]{64}\.onnx$/)
    expect(existsSync(stored.graph!.path)).toBe(true)
    expect(headGraphProblem(engine.db, stored.summary.id)).toBeNull()
    // What onnxruntime stored agrees with the JavaScript head on the same tickets.
    const page = await engine.call('tickets.page', { limit: 40 })
    const batch = ticketsWithLabels(engine.db, 'queue', page.rows.map((r) => r.id))
    const head = headOf(engine.db, stored)
    const js = await predictProbabilities(head, batch.texts)
    const C = head.classes.length
    batch.ids.forEach((id, r) => {
      const shown = page.rows.find((row) => row.id === id)!.predictions['queue']!
      const row = Array.from(js.subarray(r * C, (r + 1) * C))
      expect(shown.confidence).toBeCloseTo(Math.max(...row), 4)
      expect(shown.label).toBe(head.classes[row.indexOf(Math.max(...row))])
    })

    writeFileSync(stored.graph!.path, 'not a graph any more')
    engine.close()
    engine = createEngine({ dbPath: join(dir, 'db.sqlite'), modelsDir: join(dir, 'no-models') })
    await engine.call('model.activate', { modelId: stored.summary.id })
    expect(headGraphProblem(engine.db, stored.summary.id)).toMatch(/queue-[0-9a-f]{64}\.onnx: sha256 [0-9a-f]{64}, the models table expects/)
    const again = await engine.call('tickets.page', { limit: 40 })
    for (const row of again.rows) {
      expect(row.predictions['queue']!.confidence).toBeCloseTo(page.rows.find((r) => r.id === row.id)!.predictions['queue']!.confidence, 4)
    }
  })

  it('compares a retrained head with the active one and can restore the previous version', async () => {
    await importFile(writeFixture(dir, 'a.csv', queueExportCsv(6)))
    const first = (await train('queue')).payload as { result: import('../../../shared/models.ts').TrainSummary }
    await importFile(writeFixture(dir, 'b.csv', queueExportCsv(12, 1000)))
    const newTickets = await engine.call('tickets.page', { limit: 1 })
    expect(newTickets.rows[0]!.predictions['queue']).toBeDefined()
    const second = (await train('queue')).payload as { result: import('../../../shared/models.ts').TrainSummary }
    expect(second.result.model.version).toBe(2)
    expect(second.result.previous?.id).toBe(first.result.model.id)
    // The second head held out tickets labelled after the first was made: both are scored on them.
    expect(second.result.activation).toMatch(/on the same \d+ held-out tickets labelled since version 1/)
    expect(second.result.previousOnSameData?.validationRows).toBeGreaterThanOrEqual(30)
    const models = await engine.call('model.list', { target: 'queue' })
    // Kept for the Evaluation page's side-by-side view.
    expect(models.find((m) => m.version === 2)!.comparedWith).toMatchObject({
      modelId: first.result.model.id,
      version: 1,
      tickets: second.result.previousOnSameData!.validationRows,
      theirs: { accuracy: second.result.previousOnSameData!.accuracy }
    })
    expect(models.find((m) => m.version === 1)!.comparedWith).toBeUndefined()
    expect(models.filter((m) => m.active)).toHaveLength(1)
    const restored = await engine.call('model.activate', { modelId: first.result.model.id })
    expect(restored.active).toBe(true)
    expect((await engine.call('model.list', { target: 'queue' })).find((m) => m.version === 2)!.active).toBe(false)
  })

  it('refuses a target without labels and one with a single class, with clear messages', async () => {
    await importFile(bueckRows('a.csv', 0, 50))
    const none = await train('nope')
    expect(none.event).toBe('job.failed')
    expect((none.payload as { error: { code: string; message: string } }).error.message).toMatch(/No ticket has a value for "nope"/)
    const path = writeCsv(join(dir, 'one.csv'), ['subject', 'team'], [['printer broken', 'IT'], ['vpn down', 'IT'], ['mouse', 'IT']])
    await importFile(path)
    const one = await train('team')
    expect(one.event).toBe('job.failed')
    expect((one.payload as { error: { message: string } }).error.message).toMatch(/two queues/)
  })
})
