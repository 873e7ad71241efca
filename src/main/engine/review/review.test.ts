import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCsv } from '../ingest/csvSource.ts'
import { importCsv } from '../ingest/importCsv.ts'
import { FRESHDESK_CSV, fixtureDir, writeFixture } from '../ingest/nastyFixtures.ts'
import { sampled, writePredictions } from '../predict/predictionWriter.ts'
import { openDatabase, type Db } from '../store/database.ts'
import { ticketDetail } from '../store/ticketsRepo.ts'
import { auditTrail, auditTrailCsv } from './auditTrail.ts'
import { decide, undoBatch, undoLast } from './reviewDecisions.ts'
import { requestSchemas } from '../../../shared/contract.ts'
import { reviewQueue } from './reviewQueue.ts'

let db: Db
let ids: number[]
let modelId: number

beforeEach(async () => {
  const dir = fixtureDir()
  db = openDatabase(join(dir, 'r.sqlite'))
  await importCsv(db, await openCsv(writeFixture(dir, 'fd.csv', FRESHDESK_CSV)))
  ids = (db.prepare('SELECT id FROM tickets ORDER BY id').all() as { id: number }[]).map((r) => r.id)
  modelId = Number(
    db.prepare("INSERT INTO models (kind, name, target, version, sha256, files, params, metrics, active, created_at) VALUES ('head', 'head-Group', 'Group', 1, 'x', '[]', '{}', '{}', 1, 'now')").run().lastInsertRowid
  )
  // ticket 0: unsure (0.40, margin 0.05); ticket 1: unsure (0.55, margin 0.50); ticket 2: confident.
  writePredictions(db, modelId, [
    { ticketId: ids[0]!, ranked: [{ label: 'Access', p: 0.4 }, { label: 'Billing', p: 0.35 }, { label: 'Hardware', p: 0.25 }] },
    { ticketId: ids[1]!, ranked: [{ label: 'Hardware', p: 0.55 }, { label: 'Access', p: 0.05 }, { label: 'Billing', p: 0.4 }] },
    { ticketId: ids[2]!, ranked: [{ label: 'Billing', p: 0.97 }, { label: 'Access', p: 0.02 }, { label: 'Hardware', p: 0.01 }] }
  ], { threshold: 0.6, sampleRate: 0 })
})
afterEach(() => db.close())

describe('review queue', () => {
  it('lists flagged, undecided tickets most uncertain first, by confidence or by margin', () => {
    const byConf = reviewQueue(db, { target: 'Group' })
    expect(byConf.total).toBe(2)
    expect(byConf.items.map((i) => i.ticketId)).toEqual([ids[0], ids[1]])
    expect(byConf.items[0]!.candidates.map((c) => c.label)).toEqual(['Access', 'Billing', 'Hardware'])
    const byMargin = reviewQueue(db, { target: 'Group', order: 'margin' })
    expect(byMargin.items.map((i) => i.ticketId)).toEqual([ids[0], ids[1]])
    expect(reviewQueue(db, { target: 'Group', predicted: 'Hardware' }).items.map((i) => i.ticketId)).toEqual([ids[1]])
    expect(reviewQueue(db, { target: 'Nope' })).toEqual({ total: 0, items: [] })
  })

  it('records accept and correct as review labels with an audit trail, and undo restores the label', () => {
    const a = decide(db, { ticketId: ids[0]!, target: 'Group', who: 'lea' }, '2026-01-01T10:00:00Z')
    expect(a).toMatchObject({ action: 'accept', from: 'Access', to: 'Access' })
    const c = decide(db, { ticketId: ids[1]!, target: 'Group', label: 'Billing', who: 'lea' }, '2026-01-01T10:01:00Z')
    expect(c).toMatchObject({ action: 'correct', from: 'Hardware', to: 'Billing' })
    expect(ticketDetail(db, ids[1]!).labels['Group']).toBe('Billing')
    expect(ticketDetail(db, ids[1]!).labelHistory.filter((h) => h.target === 'Group').map((h) => [h.value, h.origin, h.current])).toEqual([
      ['Hardware', 'import', false],
      ['Billing', 'review', true]
    ])
    expect(reviewQueue(db, { target: 'Group' }).total).toBe(0)

    const u = undoLast(db, 'lea', 'Group', '2026-01-01T10:02:00Z')
    expect(u).toMatchObject({ action: 'undo', ticketId: ids[1], from: 'Billing', to: 'Hardware' })
    expect(ticketDetail(db, ids[1]!).labels['Group']).toBe('Hardware')
    expect(reviewQueue(db, { target: 'Group' }).items.map((i) => i.ticketId)).toEqual([ids[1]])

    const trail = auditTrail(db)
    expect(trail.rows.map((r) => [r.action, r.from, r.to, r.undone])).toEqual([
      ['undo', 'Billing', 'Hardware', false],
      ['correct', 'Hardware', 'Billing', true],
      ['accept', 'Access', 'Access', false]
    ])
    const csv = auditTrailCsv(db).split('\r\n')
    expect(csv[0]).toBe('id,at,who,ticket_id,external_id,target,action,predicted,from,to,undone')
    expect(csv).toHaveLength(5)
  })

  it('refuses a second decision on the same ticket, undo with nothing to undo, and a deleted ticket', () => {
    decide(db, { ticketId: ids[0]!, target: 'Group', who: 'lea' })
    expect(() => decide(db, { ticketId: ids[0]!, target: 'Group', label: 'Billing', who: 'sam' })).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/already decided by lea/) })
    )
    expect(() => undoLast(db, 'sam', 'Group')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringMatching(/nothing to undo/) }))
    db.prepare('DELETE FROM tickets WHERE id = ?').run(ids[1]!)
    expect(() => decide(db, { ticketId: ids[1]!, target: 'Group', who: 'lea' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
    expect(auditTrail(db).total).toBe(1)
  })

  it('keeps a decision as the label through a re-import with new content, keeping the helpdesk\'s word as history', async () => {
    decide(db, { ticketId: ids[1]!, target: 'Group', label: 'Billing', who: 'lea' }, '2026-01-01T10:00:00Z')
    const dir = fixtureDir()
    // A customer reply changed the text; the helpdesk still says Hardware, then later says Network.
    const reply = FRESHDESK_CSV.replace('Third floor printer', 'Third floor printer. Update: it smokes')
    const summary = await importCsv(db, await openCsv(writeFixture(dir, 'reply.csv', reply)))
    expect(summary.updated).toBe(1)
    expect(ticketDetail(db, ids[1]!).labels['Group']).toBe('Billing')
    const moved = reply.replace('Incident,Hardware,', 'Incident,Network,').replace('it smokes', 'it smokes a lot')
    await importCsv(db, await openCsv(writeFixture(dir, 'moved.csv', moved)))
    const detail = ticketDetail(db, ids[1]!)
    expect(detail.labels['Group']).toBe('Billing')
    expect(detail.labelHistory.filter((h) => h.target === 'Group').map((h) => [h.value, h.origin, h.current])).toEqual([
      ['Hardware', 'import', false],
      ['Billing', 'review', true],
      ['Network', 'import', false]
    ])
    expect(detail.helpdeskLabels).toEqual({ Group: 'Network' })
    // The decision is still the lead's to change: undo brings back the helpdesk's newest word.
    expect(undoLast(db, 'lea', 'Group')).toMatchObject({ action: 'undo', from: 'Billing' })
    expect(ticketDetail(db, ids[1]!).labels['Group']).toBe('Network')
    expect(decide(db, { ticketId: ids[1]!, target: 'Group', label: 'Access', who: 'lea' })).toMatchObject({ from: 'Network', to: 'Access' })
  })

  it('writes an audit CSV in which no cell is a live spreadsheet formula', () => {
    decide(db, { ticketId: ids[1]!, target: 'Group', label: '=HYPERLINK("http://evil.example")', who: "=cmd|' /C calc'!A0" })
    decide(db, { ticketId: ids[0]!, target: 'Group', label: '@SUM(A1)', who: '+lea' })
    const lines = auditTrailCsv(db).trim().split('\r\n').slice(1)
    expect(lines).toHaveLength(2)
    for (const line of lines) expect(line.split(',').some((cell) => /^"?[=+\-@]/.test(cell))).toBe(false)
    expect(lines.join('\n')).toContain(`"'=HYPERLINK(""http://evil.example"")"`)
  })

  it('undoes a whole "Accept all" as one step, restoring every label, and leaves other decisions alone', () => {
    const before = ids.map((id) => ticketDetail(db, id).labels['Group'])
    const batchId = 'bulk-0001-aaaa'
    decide(db, { ticketId: ids[0]!, target: 'Group', who: 'lea', batchId }, '2026-01-01T10:00:00Z')
    decide(db, { ticketId: ids[1]!, target: 'Group', who: 'lea', batchId }, '2026-01-01T10:00:01Z')
    decide(db, { ticketId: ids[2]!, target: 'Group', label: 'Access', who: 'lea' }, '2026-01-01T10:00:02Z')
    expect(reviewQueue(db, { target: 'Group' }).total).toBe(0)
    expect(ids.map((id) => ticketDetail(db, id).labels['Group'])).toEqual(['Access', 'Hardware', 'Access'])

    expect(undoBatch(db, batchId, 'sam', '2026-01-01T11:00:00Z')).toEqual({ batchId, target: 'Group', undone: 2 })
    expect(ids.map((id) => ticketDetail(db, id).labels['Group'])).toEqual([before[0], before[1], 'Access'])
    expect(ticketDetail(db, ids[1]!).labelHistory.filter((h) => h.current && h.target === 'Group').map((h) => h.origin)).toEqual(['import'])
    expect(reviewQueue(db, { target: 'Group' }).items.map((i) => i.ticketId)).toEqual([ids[0], ids[1]])
    const trail = auditTrail(db).rows
    expect(trail.filter((r) => r.batchId === batchId).map((r) => [r.action, r.who, r.undone])).toEqual([
      ['undo', 'sam', false],
      ['undo', 'sam', false],
      ['accept', 'lea', true],
      ['accept', 'lea', true]
    ])
    // Undoing it again, or a batch that never was, says so; the single decision is still the last to undo.
    expect(() => undoBatch(db, batchId, 'sam')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringMatching(/undone already/) }))
    expect(() => undoBatch(db, 'no-such-batch', 'sam')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
    expect(undoLast(db, 'lea', 'Group')).toMatchObject({ ticketId: ids[2], from: 'Access' })
    expect(requestSchemas['review.undoBatch'].safeParse({ batchId: 'x; DROP' }).success).toBe(false)
    expect(requestSchemas['review.decide'].safeParse({ ticketId: 1, target: 'Group', batchId }).success).toBe(true)
  })

  it('samples about 2 % of confident tickets, deterministically', () => {
    let n = 0
    for (let t = 1; t <= 20_000; t++) if (sampled(7, t, 0.02)) n++
    expect(n / 20_000).toBeGreaterThan(0.017)
    expect(n / 20_000).toBeLessThan(0.023)
    expect(sampled(7, 123, 0.02)).toBe(sampled(7, 123, 0.02))
    expect(sampled(7, 123, 0)).toBe(false)
  })
})
