import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WireEvent } from '../../../shared/contract.ts'
import { FRESHDESK_CSV, fixtureDir, writeFixture } from '../ingest/nastyFixtures.ts'
import { createEngine, type Engine } from './engine.ts'

let dir: string
let engine: Engine

beforeEach(() => {
  dir = fixtureDir()
  engine = createEngine({ dbPath: join(dir, 'e.sqlite') })
})
afterEach(() => engine.close())

function waitFor(event: WireEvent['event']): Promise<WireEvent[]> {
  const seen: WireEvent[] = []
  return new Promise((resolve) => {
    const off = engine.onEvent((e) => {
      seen.push(e)
      if (e.event === event) {
        off()
        resolve(seen)
      }
    })
  })
}

describe('engine requests', () => {
  it('refuses unknown methods and invalid params with stable codes', async () => {
    expect(await engine.handle({ id: 1, method: 'fs.readFile', params: { path: '/etc/passwd' } })).toEqual({
      id: 1,
      ok: false,
      error: { code: 'UNKNOWN_METHOD', message: 'Unknown request "fs.readFile".' }
    })
    const bad = await engine.handle({ id: 2, method: 'tickets.page', params: { limit: 10_000, extra: true } })
    expect(bad.ok).toBe(false)
    if (!bad.ok) {
      expect(bad.error.code).toBe('BAD_REQUEST')
      expect(bad.error.message).not.toMatch(/at .*\.ts:\d+/)
    }
    const missing = await engine.handle({ id: 3, method: 'tickets.get', params: { id: 999 } })
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    const noFile = await engine.handle({ id: 4, method: 'import.preview', params: { path: join(dir, 'nope.csv') } })
    expect(noFile).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND', message: expect.stringContaining('nope.csv') } })
  })

  it('previews, imports as a job with progress and done events, then pages and searches', async () => {
    const path = writeFixture(dir, 'fd.csv', FRESHDESK_CSV)
    const preview = await engine.call('import.preview', { path })
    expect(preview).toMatchObject({ preset: 'Freshdesk', encoding: 'utf-8', delimiter: ',' })
    expect(preview.sampleRows).toHaveLength(3)
    const done = waitFor('job.done')
    const { jobId } = await engine.call('import.start', { path, mapping: preview.mapping })
    const events = await done
    expect(events.some((e) => e.event === 'job.progress')).toBe(true)
    const last = events.at(-1)!
    expect(last.payload).toMatchObject({ jobId, kind: 'import', result: { imported: 3, status: 'done' } })
    const page = await engine.call('tickets.page', { search: 'invoice' })
    expect(page.total).toBe(1)
    expect(page.rows[0]!.labels['Group']).toBe('Billing')
    const cols = await engine.call('tickets.columns', {})
    expect(cols.targets.map((t) => t.target)).toEqual(['Group', 'Priority', 'Type'])
    const doctor = await engine.call('store.doctor', {})
    expect(doctor).toMatchObject({ ok: true, integrity: 'ok', tickets: 3 })
  })

  it('reports a failed import job with a code and keeps answering', async () => {
    const path = writeFixture(dir, 'nums.csv', 'id,amount\n1,2\n')
    const res = await engine.handle({ id: 9, method: 'import.start', params: { path, mapping: { fields: { externalId: 0 }, targets: {} } } })
    expect(res.ok).toBe(true)
    const events = await waitFor('job.failed')
    expect(events.at(-1)!.payload).toMatchObject({ error: { code: 'NO_TEXT_COLUMN' } })
    expect((await engine.call('app.info', {})).tickets).toBe(0)
  })
})

describe('settings and review requests', () => {
  it('validates settings, and records decisions under the reviewer name from settings', async () => {
    expect(await engine.call('settings.get', {})).toMatchObject({ reviewerName: 'reviewer', reviewSampleRate: 0.02, autoActivate: true })
    const bad = await engine.handle({ id: 1, method: 'settings.set', params: { reviewSampleRate: 3 } })
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    await engine.call('settings.set', { reviewerName: 'Lea Lead' })
    // A patch changes what it names and nothing else.
    expect(await engine.call('settings.set', { reviewSampleRate: 0.1 })).toMatchObject({ reviewerName: 'Lea Lead', reviewSampleRate: 0.1, autoActivate: true })
    expect(await engine.call('settings.get', {})).toMatchObject({ reviewerName: 'Lea Lead', reviewSampleRate: 0.1 })
    const path = writeFixture(dir, 'fd.csv', FRESHDESK_CSV)
    const done = waitFor('job.done')
    await engine.call('import.start', { path })
    await done
    const page = await engine.call('tickets.page', { search: 'printer' })
    const decision = await engine.call('review.decide', { ticketId: page.rows[0]!.id, target: 'Group', label: 'Facilities' })
    expect(decision).toMatchObject({ action: 'correct', from: 'Hardware', to: 'Facilities' })
    const audit = await engine.call('review.audit', {})
    expect(audit.rows[0]).toMatchObject({ who: 'Lea Lead', to: 'Facilities' })
    const undo = await engine.handle({ id: 2, method: 'review.undo', params: { target: 'Group' } })
    expect(undo).toMatchObject({ ok: true, result: { action: 'undo', to: 'Hardware' } })
    const nothing = await engine.handle({ id: 3, method: 'review.undo', params: { target: 'Group' } })
    expect(nothing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect((await engine.call('review.queue', { target: 'Group' })).total).toBe(0)
  })
})
