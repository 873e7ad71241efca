// Job progress as the tray sees it, on real jobs through the engine's front door: an import, the index
// job that follows it, and a training, each on one bar that never goes back and ends full; and Cancel
// stopping a training for real. The time-left estimate is then run over the recorded bars.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventMap, WireEvent } from '../../../shared/contract.ts'
import type { JobProgress } from '../../../shared/domain.ts'
import { addSample, secondsLeft, type BarSample } from '../../../shared/jobEta.ts'
import { createEngine, type Engine } from '../api/engine.ts'
import { itServiceFixtureCsv } from '../fixtureTickets.ts'
import { modelsForTests } from '../inference/testEncoder.ts'
import { overallFraction } from './jobPhases.ts'

process.env.TRIAGE_MODELS_DIR = modelsForTests().dir

let dir: string
let engine: Engine
const events: WireEvent[] = []

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'triage-jobs-'))
  engine = createEngine({ dbPath: join(dir, 'jobs.sqlite') })
  engine.onEvent((e) => events.push(e))
})
afterAll(async () => {
  await engine.close()
  rmSync(dir, { recursive: true, force: true })
})

function jobEnd(match: (kind: JobProgress['kind'], jobId: string) => boolean): Promise<WireEvent> {
  return new Promise((resolve) => {
    const off = engine.onEvent((e) => {
      const p = e.payload as { jobId?: string; kind?: JobProgress['kind'] }
      if ((e.event === 'job.done' || e.event === 'job.failed') && p.kind && p.jobId && match(p.kind, p.jobId)) {
        off()
        resolve(e)
      }
    })
  })
}

const progressOf = (jobId: string): JobProgress[] =>
  events.filter((e) => e.event === 'job.progress' && (e.payload as JobProgress).jobId === jobId).map((e) => e.payload as JobProgress)

function expectOneBar(bar: readonly JobProgress[]): void {
  expect(bar.length).toBeGreaterThan(0)
  const overall = bar.map((p) => p.overall ?? -1)
  for (const o of overall) expect(o).toBeGreaterThanOrEqual(0)
  for (const o of overall) expect(o).toBeLessThanOrEqual(1)
  for (let i = 1; i < overall.length; i++) expect(overall[i]).toBeGreaterThanOrEqual(overall[i - 1]!)
}

describe('job progress', () => {
  it('puts the phases of an index job and a training on one bar that never goes back', { timeout: 240_000 }, async () => {
    const csv = join(dir, 'tickets.csv')
    writeFileSync(csv, itServiceFixtureCsv(600, 5))
    const indexed = jobEnd((kind) => kind === 'index')
    const { jobId: importJob } = await engine.call('import.start', { path: csv })
    const indexEnd = (await indexed).payload as EventMap['job.done']
    expect(indexEnd).toMatchObject({ kind: 'index', result: { indexed: 600, cancelled: false } })
    expectOneBar(progressOf(importJob))

    const indexBar = progressOf(indexEnd.jobId)
    expectOneBar(indexBar)
    const embedding = indexBar.filter((p) => p.phase === 'embedding')
    // Words need the counts: "embedding tickets 600 / 600".
    expect(embedding.at(-1)).toMatchObject({ rows: 600, total: 600 })
    expect(indexBar.at(-1)!.overall).toBeGreaterThanOrEqual(overallFraction('index', 'embedding', 1)!)

    const { jobId: trainJob } = await engine.call('model.train', { target: 'Topic_group' })
    const trained = await jobEnd((_, id) => id === trainJob)
    expect(trained.event).toBe('job.done')
    const trainBar = progressOf(trainJob)
    expectOneBar(trainBar)
    // Fitting then refitting (or predicting) is one bar: the later phase starts where the earlier one ended.
    const phases = [...new Set(trainBar.map((p) => p.phase))]
    expect(phases.length).toBeGreaterThan(2)
    expect(trainBar.at(-1)!.overall).toBe(1)

    // The tray's estimate over the bar it was shown, one event a second: none at first, then a finite one.
    const samples: BarSample[] = []
    const estimates = trainBar.map((p, i) => {
      const s = addSample(samples.splice(0), { at: i * 1000, overall: p.overall! })
      samples.push(...s)
      return secondsLeft(samples, i * 1000)
    })
    expect(estimates.slice(0, 3).every((e) => e === null)).toBe(true)
    const later = estimates.filter((e): e is number => e !== null)
    expect(later.length).toBeGreaterThan(0)
    expect(later.every((e) => Number.isFinite(e) && e >= 0)).toBe(true)
    expect(estimates.at(-1)).toBe(0)
  })

  it('cancels a training: the job ends without a new version', { timeout: 120_000 }, async () => {
    const before = await engine.call('model.list', { target: 'Topic_group' })
    const { jobId } = await engine.call('model.train', { target: 'Topic_group' })
    const ended = jobEnd((_, id) => id === jobId)
    expect(await engine.call('job.cancel', { jobId })).toEqual({ cancelled: true })
    const end = await ended
    expect(end.event).toBe('job.failed')
    expect((end.payload as EventMap['job.failed']).error.message).toMatch(/cancelled/)
    expect(await engine.call('model.list', { target: 'Topic_group' })).toHaveLength(before.length)
    await expect(engine.call('job.cancel', { jobId })).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' })
  })
})
