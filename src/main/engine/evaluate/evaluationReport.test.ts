import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { capturedRun, type CapturedRun } from '../../cli/capturedRun.ts'
import { evalCommand } from '../../cli/eval.ts'
import type { WireEvent } from '../../../shared/contract.ts'
import { createEngine, type Engine } from '../api/engine.ts'
import { fixtureDir, writeFixture } from '../ingest/nastyFixtures.ts'
import { evaluatePredictions } from './metrics.ts'
import { headOf } from '../predict/predictTickets.ts'
import { kindEnded, nextEvent } from '../api/engineEvents.ts'
import { activeStoredHead } from '../predict/modelsRepo.ts'
import { queueExportCsv } from '../predict/queueFixtures.ts'

let engine: Engine
let dbPath: string

const jobEnd = (kind: string): Promise<WireEvent> => nextEvent(engine, kindEnded(kind))

beforeAll(async () => {
  const dir = fixtureDir()
  dbPath = join(dir, 'db.sqlite')
  engine = createEngine({ dbPath, modelsDir: join(dir, 'none') })
  const path = writeFixture(dir, 'tickets.csv', queueExportCsv(12))
  const imported = jobEnd('index')
  await engine.call('import.start', { path })
  await imported
  const trained = jobEnd('train')
  await engine.call('model.train', { target: 'queue', embedder: 'none' })
  const done = await trained
  if (done.event !== 'job.done') throw new Error(JSON.stringify(done.payload))
})
afterAll(() => engine.close())

function runEval(args: string[]): Promise<CapturedRun> {
  return capturedRun(evalCommand, args)
}

describe('evaluation report', () => {
  it('reports the held-out split with the same figures as the metrics module', async () => {
    const report = (await engine.call('eval.report', { target: 'queue' }))!
    const head = headOf(engine.db, activeStoredHead(engine.db, 'queue')!)
    const direct = evaluatePredictions(Array.from(head.validationOutcomes.truth), head.validationOutcomes.probabilities, head.classes)
    expect(report.n).toBe(head.validationOutcomes.truth.length)
    expect(report.description).toMatch(/held-out tickets of queue v1/)
    expect(report.accuracy).toBe(direct.accuracy)
    expect(report.macroF1).toBe(direct.macroF1)
    expect(report.ece).toBe(direct.ece)
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(report.n)
    expect(report.top3).toBe(1)
    expect(report.reliability).toHaveLength(15)
    expect(report.curve).toHaveLength(100)
    expect(report.perClass.map((c) => c.label)).toEqual(['Access', 'Billing', 'Network'])
  })

  it('flags for review the held-out tickets below their queue threshold', async () => {
    const report = (await engine.call('eval.report', { target: 'queue' }))!
    const stored = activeStoredHead(engine.db, 'queue')!
    const head = headOf(engine.db, stored)
    const o = head.validationOutcomes
    const { thresholds } = stored.summary
    let below = 0
    o.predicted.forEach((p, i) => {
      const threshold = thresholds.perClass[head.classes[p]!] ?? thresholds.global
      if (o.confidence[i]! < threshold - 1e-6) below++
    })
    expect(report.reviewRate).toBe(below / o.truth.length)
  })

  it('prints the same figures from `triage eval --db` as the page gets from eval.report', async () => {
    const report = (await engine.call('eval.report', { target: 'queue' }))!
    const cli = await runEval(['--db', dbPath, '--target', 'queue', '--json'])
    expect(cli.code).toBe(0)
    const printed = JSON.parse(cli.stdout) as Record<string, unknown>
    expect(printed).toMatchObject({
      accuracy: report.accuracy,
      macro_f1: report.macroF1,
      weighted_f1: report.weightedF1,
      ece: report.ece,
      top3_accuracy: report.top3,
      review_rate: report.reviewRate,
      n_test: report.n,
      model_version: report.modelVersion,
      description: report.description
    })
    expect(printed.coverage_at_precision).toEqual(Object.fromEntries(Object.entries(report.coverageAtPrecision).map(([k, v]) => [k, v.coverage])))
    const text = await runEval(['--db', dbPath, '--target', 'queue'])
    expect(text.stdout).toContain(`accuracy ${(100 * report.accuracy).toFixed(1)} %`)
  })

  it('says what is wrong when `triage eval --db` has nothing to report', async () => {
    const none = await runEval(['--db', dbPath, '--target', 'priority'])
    expect(none.code).toBe(1)
    expect(none.stderr).toMatch(/no model for priority in .*: train one first/)
    const missing = await runEval(['--db', join(dbPath, '..', 'absent.sqlite'), '--target', 'queue'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no database at .*absent\.sqlite/)
    const both = await runEval(['--db', dbPath, '--train', 'a.csv', '--target', 'queue'])
    expect(both.stderr).toMatch(/use one or the other/)
    const source = await runEval(['--db', dbPath, '--target', 'queue', '--source', 'weekly'])
    expect(source.stderr).toMatch(/--source must be holdout or reviews/)
  })

  it('lists the tickets of a confusion cell', async () => {
    const report = (await engine.call('eval.report', { target: 'queue' }))!
    const diag = report.confusion[0]![0]!
    const cell = await engine.call('eval.cell', { target: 'queue', truth: 'Access', predicted: 'Access' })
    expect(cell.total).toBe(diag)
    expect(cell.tickets.length).toBe(Math.min(diag, 100))
    expect(cell.tickets[0]!.subject).toMatch(/password|account|user|permission|login|badge/)
  })

  it('gives an empty state without a model, and review accuracy from decisions by week', async () => {
    expect(await engine.call('eval.report', { target: 'nothing' })).toBeNull()
    expect(await engine.call('eval.drift', { target: 'nothing' })).toBeNull()
    const empty = (await engine.call('eval.report', { target: 'queue', source: 'reviews' }))!
    expect(empty.n).toBe(0)
    expect(empty.accuracy).toBe(0)
    const page = await engine.call('tickets.page', { limit: 3, sort: { column: 'externalId', dir: 'asc' } })
    await engine.call('review.decide', { ticketId: page.rows[0]!.id, target: 'queue' })
    await engine.call('review.decide', { ticketId: page.rows[1]!.id, target: 'queue', label: page.rows[1]!.predictions['queue']!.label === 'Billing' ? 'Access' : 'Billing' })
    const reviewed = (await engine.call('eval.report', { target: 'queue', source: 'reviews' }))!
    expect(reviewed.n).toBe(2)
    expect(reviewed.accuracy).toBe(0.5)
    const weeks = await engine.call('eval.reviewAccuracy', { target: 'queue' })
    expect(weeks).toHaveLength(1)
    expect(weeks[0]).toMatchObject({ reviewed: 2, accuracy: 0.5 })
  })

  it('reports drift by week against the training labels', async () => {
    const drift = (await engine.call('eval.drift', { target: 'queue' }))!
    expect(drift.undated).toBe(0)
    expect(drift.periods.length).toBeGreaterThanOrEqual(4)
    for (const p of drift.periods) {
      if (p.tickets >= 20) expect(p.psi).not.toBeNull()
      expect(Object.values(p.distribution).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6)
    }
    expect(Object.keys(drift.reference).sort()).toEqual(['Access', 'Billing', 'Network'])
  })
})
