import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { JobDone } from '../../../shared/contract.ts'
import type { PredictionFill } from '../../../shared/models.ts'
import { capturedRun } from '../../cli/capturedRun.ts'
import { importCommand } from '../../cli/importCommand.ts'
import { doctorCommand } from '../../cli/storeCommands.ts'
import { createEngine, type Engine } from '../api/engine.ts'
import { importWithFollowUp, jobEnded, kindEnded, nextEvent } from '../api/engineEvents.ts'
import { openCsv } from '../ingest/csvSource.ts'
import { importCsv } from '../ingest/importCsv.ts'
import { writeFixture } from '../ingest/nastyFixtures.ts'
import { tempDir } from '../similar/similarFixtures.ts'
import { queueExportCsv } from './queueFixtures.ts'

// An import whose rows committed but whose prediction step never ran (the process was killed in between):
// simulated by running the import step alone, as both the app and the CLI run it, without what follows.
// Real SQLite files, real CSV files, heads trained with the built-in featuriser.
let dir: string
let engine: Engine
let dbPath: string

beforeEach(async () => {
  dir = tempDir('triage-gaps-')
  dbPath = join(dir, 'db.sqlite')
  engine = open()
  await importWithFollowUp(engine, writeFixture(dir, 'history.csv', queueExportCsv(4)))
  const { jobId } = await engine.call('model.train', { target: 'queue', embedder: 'none' })
  expect((await nextEvent(engine, jobEnded(jobId))).event).toBe('job.done')
})
afterEach(() => engine.close())

function open(predictMissingAtStart?: boolean): Engine {
  return createEngine({ dbPath, modelsDir: join(dir, 'no-models'), ...(predictMissingAtStart === undefined ? {} : { predictMissingAtStart }) })
}


/** The rows of `name` committed, and nothing after: no indexing, no predictions. Returns the file's path. */
async function crashedImport(name: string, firstId = 3000): Promise<string> {
  const path = writeFixture(dir, name, queueExportCsv(2, firstId))
  const summary = await importCsv(engine.db, await openCsv(path))
  expect(summary).toMatchObject({ status: 'done', imported: 36 })
  return path
}

async function expectGap(missing: number): Promise<void> {
  const report = await engine.call('store.doctor', {})
  expect(report.ok).toBe(false)
  expect(report.predictionGaps).toEqual([expect.objectContaining({ target: 'queue', version: 1, missing, outdated: 0 })])
}

async function expectNoGap(): Promise<void> {
  expect(await engine.call('store.doctor', {})).toMatchObject({ ok: true, predictionGaps: [], modelFiles: [] })
}

describe('tickets left without a prediction', () => {
  it('doctor reports them, and the next import predicts them although the re-import sees duplicates', async () => {
    const path = await crashedImport('crashed.csv')
    await expectGap(36)
    const again = await importWithFollowUp(engine, path)
    expect(again.predicted).toBe(36)
    const latest = (await engine.call('imports.list', {})).reduce((a, b) => (b.importId > a.importId ? b : a))
    expect(latest).toMatchObject({ duplicate: 36, imported: 0 })
    await expectNoGap()
  })

  it('are predicted when the engine starts again', async () => {
    await crashedImport('crashed.csv')
    await engine.close()
    engine = open()
    // Started by createEngine itself, so the listener goes on before the job's first event.
    const end = await nextEvent(engine, kindEnded('predict'))
    expect(end.event).toBe('job.done')
    expect((end.payload as Extract<JobDone, { kind: 'predict' }>).result).toMatchObject({ predicted: 36, targets: [{ target: 'queue', version: 1, predicted: 36 }] })
    await expectNoGap()
  })

  it('are predicted by store.repair as a job', async () => {
    await crashedImport('crashed.csv')
    const { jobId } = await engine.call('store.repair', {})
    const end = await nextEvent(engine, jobEnded(jobId))
    expect((end.payload as { result: PredictionFill }).result.predicted).toBe(36)
    await expectNoGap()
    // Nothing left: a second repair predicts nothing.
    const second = await engine.call('store.repair', {})
    expect(((await nextEvent(engine, jobEnded(second.jobId))).payload as { result: PredictionFill }).result).toEqual({ predicted: 0, needsReview: 0, targets: [] })
  })

  it('outdated predictions of tickets a crashed import changed count too', async () => {
    const path = writeFixture(dir, 'changed.csv', queueExportCsv(4).replaceAll('customer says', 'the customer writes'))
    const summary = await importCsv(engine.db, await openCsv(path))
    expect(summary.updated).toBe(72)
    const report = await engine.call('store.doctor', {})
    expect(report.predictionGaps).toEqual([expect.objectContaining({ missing: 0, outdated: 72 })])
    const { jobId } = await engine.call('store.repair', {})
    expect(((await nextEvent(engine, jobEnded(jobId))).payload as { result: PredictionFill }).result.predicted).toBe(72)
    await expectNoGap()
  })
})

describe('the command line', () => {
  it('triage doctor exits 1 on the gap, --repair fills it and exits 0, and triage import predicts them too', async () => {
    await crashedImport('crashed.csv')
    await engine.close()
    // As the CLI opens it: no job at start, so doctor sees the gap.
    engine = open(false)
    const before = await capturedRun(() => doctorCommand(engine, true), [])
    expect(before.code).toBe(1)
    expect(JSON.parse(before.stdout)).toMatchObject({ ok: false, predictionGaps: [{ target: 'queue', missing: 36 }] })
    const repaired = await capturedRun(() => doctorCommand(engine, true, true), [])
    expect(repaired.code).toBe(0)
    expect(JSON.parse(repaired.stdout)).toMatchObject({ ok: true, predictionGaps: [], repaired: { predicted: 36 } })

    const path = await crashedImport('crashed-again.csv', 4000)
    const imported = await capturedRun(() => importCommand(engine, { file: path, json: true }), [])
    expect(imported.code).toBe(0)
    // Every row a duplicate, and yet the 36 tickets the earlier run committed are predicted.
    expect(JSON.parse(imported.stdout)).toMatchObject({ duplicate: 36, predicted: 36 })
    await expectNoGap()
  })
})
