// Review means what it says: a derived threshold of 0.00 is held at the floor (so a 38 % guess goes to
// review), a lead's deliberate lower value stands, and sampled tickets are told apart from unsure ones.
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCsv } from '../ingest/csvSource.ts'
import { importCsv } from '../ingest/importCsv.ts'
import { FRESHDESK_CSV, fixtureDir, writeFixture } from '../ingest/nastyFixtures.ts'
import { applyThresholds, previewThresholds } from '../predict/modelRequests.ts'
import { getHead } from '../predict/modelsRepo.ts'
import { reviewPolicy, writePredictions } from '../predict/predictionWriter.ts'
import { floorStoredThresholds } from '../predict/thresholdUpgrade.ts'
import { openDatabase, type Db } from '../store/database.ts'
import { writeSettings } from '../store/settingsRepo.ts'
import { reviewQueue } from './reviewQueue.ts'

const CLASSES = ['Access', 'Billing', 'Hardware', 'Storage']
let db: Db
let ids: number[]
let modelId: number

/**
 * Validation outcomes in which every Storage prediction was right, whatever its confidence (so a 0.90
 * target precision derives 0.00 for Storage), and Hardware is right only above 0.6.
 */
function validation(): { truth: number[]; predicted: number[]; confidence: number[]; ticketIds: number[] } {
  const v = { truth: [] as number[], predicted: [] as number[], confidence: [] as number[], ticketIds: [] as number[] }
  for (let i = 0; i < 40; i++) {
    const p = 0.2 + (0.75 * i) / 40
    v.predicted.push(3, 2)
    v.truth.push(3, p >= 0.6 ? 2 : 0)
    v.confidence.push(p, p)
    v.ticketIds.push(i, 100 + i)
  }
  return v
}

beforeEach(async () => {
  const dir = fixtureDir()
  db = openDatabase(join(dir, 'floor.sqlite'))
  await importCsv(db, await openCsv(writeFixture(dir, 'fd.csv', FRESHDESK_CSV)))
  ids = (db.prepare('SELECT id FROM tickets ORDER BY id').all() as { id: number }[]).map((r) => r.id)
  // A head stored before the floor existed: its derived thresholds say 0.00 for Storage.
  const params = { embedder: null, classes: CLASSES, trainingRows: 80, thresholds: { global: 0.62, perClass: { Storage: 0, Hardware: 0.6 } }, validation: validation(), training: {} }
  modelId = Number(
    db
      .prepare("INSERT INTO models (kind, name, target, version, sha256, files, params, metrics, active, created_at) VALUES ('head', 'head-Group', 'Group', 1, 'x', ?, ?, '{}', 1, 'now')")
      .run(JSON.stringify([{ path: 'none', bytes: 0, role: 'head' }]), JSON.stringify(params)).lastInsertRowid
  )
  writeSettings(db, { reviewSampleRate: 0 })
})
afterEach(() => db.close())

const storage38 = () => ({ ticketId: ids[0]!, ranked: [{ label: 'Storage', p: 0.38 }, { label: 'Access', p: 0.32 }, { label: 'Billing', p: 0.3 }] })
const storage15 = () => ({ ticketId: ids[1]!, ranked: [{ label: 'Storage', p: 0.15 }, { label: 'Access', p: 0.14 }, { label: 'Billing', p: 0.13 }] })
const flagOf = (ticketId: number) =>
  db.prepare('SELECT needs_review AS n, review_reason AS r FROM predictions WHERE ticket_id = ? AND model_id = ?').get(ticketId, modelId) as { n: number; r: string | null }

describe('the review floor', () => {
  it('holds a derived 0.00 at the floor, so a 38 % Storage prediction is flagged (stored heads included)', () => {
    const preview = previewThresholds(db, modelId, 0.9)
    expect(preview.perClass['Storage']).toBe(0.5)
    expect(preview.floor).toBe(0.5)
    expect(preview.floored).toEqual({ Storage: 0 })
    expect(preview.perClass['Hardware']).toBeGreaterThanOrEqual(0.5)

    // The head stored with 0.00 is read with the floor in force, and predictions written with it are flagged.
    const stored = getHead(db, modelId).summary.thresholds
    expect(stored.perClass['Storage']).toBe(0.5)
    expect(stored.floored).toEqual({ Storage: 0 })
    expect(writePredictions(db, modelId, [storage38()], reviewPolicy(stored, 0))).toBe(1)
    expect(reviewQueue(db, { target: 'Group' }).items.map((i) => [i.ticketId, i.predicted, i.reason])).toEqual([[ids[0], 'Storage', 'low_confidence']])

    // Applying the preview keeps the floor and remembers what it raised, for the precision–coverage view.
    const applied = applyThresholds(db, modelId, preview.global, preview.perClass, 0.9)
    expect(applied.thresholds).toMatchObject({ perClass: { Storage: 0.5 }, floor: 0.5, floored: { Storage: 0 } })
    expect(applied.thresholds.deliberate).toBeUndefined()
    expect(flagOf(ids[0]!)).toEqual({ n: 1, r: 'low_confidence' })
  })

  it('lets a lead set a queue below the floor on purpose, and that value stands', () => {
    writePredictions(db, modelId, [storage38(), storage15()], reviewPolicy(getHead(db, modelId).summary.thresholds, 0))
    expect(flagOf(ids[0]!).n).toBe(1)
    const applied = applyThresholds(db, modelId, 0.62, { Storage: 0.2, Hardware: 0.6 })
    expect(applied.thresholds).toMatchObject({ perClass: { Storage: 0.2 }, deliberate: ['Storage'] })
    // Re-read (and re-flagged) with the lead's value, not raised again.
    expect(getHead(db, modelId).summary.thresholds.perClass['Storage']).toBe(0.2)
    expect(flagOf(ids[0]!)).toEqual({ n: 0, r: null })
    expect(flagOf(ids[1]!)).toEqual({ n: 1, r: 'low_confidence' })
    // A global threshold below the floor, applied on purpose, stands too.
    expect(applyThresholds(db, modelId, 0, {}).thresholds).toMatchObject({ global: 0, globalDeliberate: true })
    expect(flagOf(ids[1]!)).toEqual({ n: 0, r: null })
  })

  it('tells the audit sample apart from unsure tickets', () => {
    const policy = reviewPolicy(getHead(db, modelId).summary.thresholds, 1)
    writePredictions(db, modelId, [storage38(), { ticketId: ids[2]!, ranked: [{ label: 'Billing', p: 0.97 }, { label: 'Access', p: 0.03 }] }], policy)
    const reasons = Object.fromEntries(reviewQueue(db, { target: 'Group' }).items.map((i) => [i.ticketId, i.reason]))
    expect(reasons).toEqual({ [ids[0]!]: 'low_confidence', [ids[2]!]: 'sample' })
  })
})

describe('heads stored before the floor', () => {
  it('are floored and their predictions re-flagged once, at engine start', () => {
    // Written with the old 0.00 threshold: the 38 % Storage guess was routed without review.
    writePredictions(db, modelId, [storage38()], { threshold: 0.62, perClass: { Storage: 0 }, sampleRate: 0 })
    expect(flagOf(ids[0]!)).toEqual({ n: 0, r: null })
    expect(floorStoredThresholds(db)).toEqual([modelId])
    expect(flagOf(ids[0]!)).toEqual({ n: 1, r: 'low_confidence' })
    expect(getHead(db, modelId).params.thresholds).toMatchObject({ floor: 0.5, perClass: { Storage: 0.5 }, floored: { Storage: 0 } })
    expect(floorStoredThresholds(db)).toEqual([])
  })
})
