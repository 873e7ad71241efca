// The floor on real tickets, end to end through the engine: trained on the it-service export (where the
// derived thresholds of Access, Storage and Purchase came out at 0.00), no prediction under 0.5 is routed
// without review, and the queues the floor raised are named with their derived value.
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WireEvent } from '../../../shared/contract.ts'
import type { TrainSummary } from '../../../shared/models.ts'
import { createEngine, type Engine } from '../api/engine.ts'
import { indexDone, jobEnded, nextEvent } from '../api/engineEvents.ts'
import { csvSlice, tempDir, writeCsv } from '../similar/similarFixtures.ts'
import { sharedDataset } from '../testShared.ts'

/** The real export: its small queues are what derive thresholds under the floor (fixtures are too clean for that). */
const IT_SERVICE_TRAIN = sharedDataset('it-service-tickets/split/train.csv')

let dir: string
let engine: Engine
beforeEach(() => {
  dir = tempDir('triage-floor-')
  engine = createEngine({ dbPath: join(dir, 'db.sqlite'), modelsDir: join(dir, 'no-models') })
})
afterEach(() => engine.close())

const jobEnd = (jobId: string): Promise<WireEvent> => nextEvent(engine, jobEnded(jobId))

describe('the review floor on it-service tickets', () => {
  it.skipIf(IT_SERVICE_TRAIN === undefined)('flags every prediction under the floor and names the queues it raised', async () => {
    const { header, records } = csvSlice(IT_SERVICE_TRAIN!, 4000)
    const importRows = async (name: string, rows: string[][]) => {
      const followUp = nextEvent(engine, indexDone)
      const imported = await engine.call('import.start', { path: writeCsv(join(dir, name), header, rows), mapping: { fields: { body: 0 }, targets: { Topic_group: 1 } } })
      await jobEnd(imported.jobId)
      await followUp
    }
    await importRows('train.csv', records.slice(0, 3000))
    await engine.call('settings.set', { reviewSampleRate: 0 })
    const { jobId } = await engine.call('model.train', { target: 'Topic_group', embedder: 'none' })
    const done = await jobEnd(jobId)
    expect(done.event).toBe('job.done')
    const model = (done.payload as { result: TrainSummary }).result.model

    // Tickets the model never saw, predicted as they arrive: here it is unsure of some.
    await importRows('new.csv', records.slice(3000))
    const t = model.thresholds
    // Trained on these tickets, some queues derive a threshold under the floor (0.00 for Storage and Purchase when written).
    expect(Object.keys(t.floored ?? {}).length).toBeGreaterThan(0)
    expect(t.floor).toBe(0.5)
    expect(t.global).toBeGreaterThanOrEqual(0.5)
    for (const value of Object.values(t.perClass)) expect(value).toBeGreaterThanOrEqual(0.5)
    for (const [label, derived] of Object.entries(t.floored ?? {})) {
      expect(derived).toBeLessThan(0.5)
      expect(t.perClass[label]).toBe(0.5)
    }
    // Every ticket the model is less than 50 % sure of is in review; with no sample, only those below a threshold are.
    let unsure = 0
    for (let offset = 0; offset < 4000; offset += 1000) {
      const page = await engine.call('tickets.page', { offset, limit: 1000 })
      for (const row of page.rows) {
        const p = row.predictions['Topic_group']!
        const threshold = t.perClass[p.label] ?? t.global
        expect(p.needsReview).toBe(p.confidence < threshold - 1e-6)
        if (p.confidence < 0.5) {
          unsure++
          expect(p).toMatchObject({ needsReview: true, reviewReason: 'low_confidence' })
        }
      }
    }
    expect(unsure).toBeGreaterThan(0)
    const preview = await engine.call('model.thresholdsPreview', { modelId: model.id, precision: 0.9 })
    for (const value of Object.values(preview.perClass)) expect(value).toBeGreaterThanOrEqual(0.5)
  }, 240_000)
})
