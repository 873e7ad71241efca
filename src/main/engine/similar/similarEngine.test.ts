// The similar-tickets requests through the engine's front door: validation, codes, jobs and events.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventMap, WireEvent } from '../../../shared/contract.ts'
import { createEngine, type Engine } from '../api/engine.ts'
import { BUECK_TEST_CSV, csvSlice, tempDir, writeCsv } from './similarFixtures.ts'
import { modelsForTests } from '../inference/testEncoder.ts'

// The real models where they are, else the test encoder: similar tickets run on an ONNX embedder either way.
process.env.TRIAGE_MODELS_DIR = modelsForTests().dir

let dir: string
let engine: Engine

beforeAll(() => {
  dir = tempDir()
  engine = createEngine({ dbPath: join(dir, 'engine.sqlite') })
})
afterAll(() => engine.close())

function untilDone(jobId: string): Promise<{ events: WireEvent[]; done: EventMap['job.done'] }> {
  const events: WireEvent[] = []
  return new Promise((resolve, reject) => {
    const off = engine.onEvent((e) => {
      events.push(e)
      const p = e.payload as { jobId?: string }
      if (p.jobId !== jobId) return
      if (e.event === 'job.done') {
        off()
        resolve({ events, done: e.payload as EventMap['job.done'] })
      } else if (e.event === 'job.failed') {
        off()
        reject(new Error(JSON.stringify(e.payload)))
      }
    })
  })
}

describe('similar.query and similar.index', () => {
  it('answers SIMILAR_NOT_READY over the wire before any ticket exists', async () => {
    const res = await engine.handle({ id: 1, method: 'similar.query', params: { text: 'printer is offline' } })
    expect(res).toMatchObject({ ok: false, error: { code: 'SIMILAR_NOT_READY' } })
  })

  it('refuses a query with both or neither of ticketId and text, and k out of range', async () => {
    for (const params of [{ ticketId: 1, text: 'x' }, {}, { text: 'x', k: 51 }, { text: '   ' }]) {
      const res = await engine.handle({ id: 2, method: 'similar.query', params })
      expect(res).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    }
  })

  it('embeds imported tickets in a follow-on job after the import, then serves queries and index jobs', async () => {
    const { header, records } = csvSlice(BUECK_TEST_CSV, 40)
    const path = writeCsv(join(dir, 'forty.csv'), header, records)
    // Events are collected from before the request: the job may finish before the call returns.
    const seen: WireEvent[] = []
    const off = engine.onEvent((e) => seen.push(e))
    const followUp = new Promise<EventMap['job.done']>((resolve) => {
      const stop = engine.onEvent((e) => {
        if (e.event === 'job.done' && (e.payload as EventMap['job.done']).kind === 'index') {
          stop()
          resolve(e.payload as EventMap['job.done'])
        }
      })
    })
    const { jobId } = await engine.call('import.start', { path })
    const { done } = await untilDone(jobId)
    // The import's summary does not wait for embedding.
    expect(done).toMatchObject({ kind: 'import', result: { imported: 40, status: 'done' } })
    expect(await followUp).toMatchObject({ kind: 'index', result: { indexed: 40, cancelled: false } })
    off()
    const indexing = seen.filter((e) => e.event === 'job.progress' && (e.payload as EventMap['job.progress']).phase === 'embedding')
    expect(indexing.length).toBeGreaterThan(0)
    expect((indexing.at(-1)!.payload as EventMap['job.progress']).rows).toBe(40)

    const result = await engine.call('similar.query', { ticketId: 3, k: 5, target: 'queue' })
    expect(result.hits).toHaveLength(5)
    expect(result.hits.every((h) => h.ticketId !== 3 && h.label !== null)).toBe(true)

    const { jobId: indexJob } = await engine.call('similar.index', {})
    const indexed = await untilDone(indexJob)
    expect(indexed.done).toMatchObject({ kind: 'index', result: { indexed: 0, total: 40, cancelled: false } })
  })
})
