import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WireEvent } from '../../../shared/contract.ts'
import type { TrainSummary } from '../../../shared/models.ts'
import { createEngine, type Engine } from '../api/engine.ts'
import { indexDone, jobEnded, kindEnded, nextEvent } from '../api/engineEvents.ts'
import { quantizeMatMulWeights } from '../inference/onnxQuantize.ts'
import { SHARED_MODELS as REAL_MODELS } from '../testShared.ts'
import { BUECK_TEST_CSV, csvSlice, tempDir, writeCsv } from '../similar/similarFixtures.ts'

const SHARED_MODELS = process.env.TRIAGE_MODELS_DIR ?? new URL('../../../../../shared/models/', import.meta.url).pathname

// Choosing the embedder: the setting switches similar tickets to another installed model, and a head
// keeps using the model it was trained with, whichever is active. Real models from TRIAGE_MODELS_DIR,
// real tickets, a real SQLite file.
let dir: string
let engine: Engine

beforeEach(() => {
  dir = tempDir('triage-embedder-choice-')
  engine = createEngine({ dbPath: join(dir, 'db.sqlite'), modelsDir: join(dir, 'models') })
})
afterEach(() => engine.close())

const next = (match: (e: WireEvent) => boolean): Promise<WireEvent> => nextEvent(engine, match)

async function importRows(name: string, from: number, to: number): Promise<void> {
  const { header, records } = csvSlice(BUECK_TEST_CSV, to)
  const followUp = next(indexDone)
  const { jobId } = await engine.call('import.start', { path: writeCsv(join(dir, name), header, records.slice(from)) })
  await next(jobEnded(jobId))
  await followUp
}

async function train(embedder: string): Promise<WireEvent> {
  const { jobId } = await engine.call('model.train', { target: 'queue', embedder })
  return next(jobEnded(jobId))
}

const vectorCount = (embedder: string): number =>
  (engine.db.prepare('SELECT COUNT(*) AS n FROM embeddings WHERE embedder = ?').get(embedder) as { n: number }).n

// Needs the real models: it switches between the shipped ones by name.
describe.skipIf(!REAL_MODELS)('the embedder setting', () => {
  it('switches similar tickets to the chosen model, and a head keeps the model it was trained with', async () => {
    await importRows('a.csv', 0, 60)
    expect((await engine.call('model.status', {})).activeEmbedder).toBe('all-minilm-l6-v2-int8')

    const reindexed = next(indexDone)
    const saved = await engine.call('settings.set', { embedder: 'use-lite-en' })
    expect(saved.embedder).toBe('use-lite-en')
    await reindexed
    expect((await engine.call('model.status', {})).activeEmbedder).toBe('use-lite-en')
    expect(vectorCount('use-lite-en')).toBe(60)
    const similar = await engine.call('similar.query', { ticketId: 1, k: 3 })
    expect(similar.embedder).toBe('use-lite-en')

    // Trained with a model that is not the active one: its vectors are made with that model.
    const done = await train('all-minilm-l6-v2-int8')
    expect(done.event).toBe('job.done')
    expect((done.payload as { result: TrainSummary }).result.model.embedder).toBe('all-minilm-l6-v2-int8')

    // New tickets get predictions from that head, so they need MiniLM vectors though use-lite-en is active.
    await importRows('b.csv', 60, 75)
    expect(vectorCount('all-minilm-l6-v2-int8')).toBe(75)
    const page = await engine.call('tickets.page', { limit: 100 })
    expect(page.rows.filter((r) => r.predictions['queue'])).toHaveLength(75)
  })

  it('names a model that is not installed: training fails clearly, similar tickets fall back with a note', async () => {
    await importRows('a.csv', 0, 30)
    const failed = await train('no-such-model')
    expect(failed.event).toBe('job.failed')
    expect((failed.payload as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringMatching(/^The embedder no-such-model cannot be loaded: unknown embedder "no-such-model"/) as unknown
    })

    const reindexed = next(indexDone)
    await engine.call('settings.set', { embedder: 'no-such-model' })
    await reindexed
    const status = await engine.call('model.status', {})
    expect(status.activeEmbedder).toBe('all-minilm-l6-v2-int8')
    expect(status.providerNotes).toContain('no-such-model (chosen in settings): not installed')
    await expect(engine.call('settings.set', { embedder: '../etc' })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
  })

  it('removes a model installed in the data folder, but not one an active model predicts with, nor a shared one', async () => {
    // A model with no manifest of ours: use-lite-en's graph on int8 weights.
    const folder = join(dir, 'team-encoder')
    mkdirSync(folder)
    writeFileSync(join(folder, 'model.onnx'), quantizeMatMulWeights(readFileSync(join(SHARED_MODELS, 'use-lite-en', 'model.onnx'))).bytes)
    copyFileSync(join(SHARED_MODELS, 'use-lite-en', 'tokenizer.json'), join(folder, 'tokenizer.json'))
    const install = await engine.call('model.install', { path: folder })
    expect((await next(jobEnded(install.jobId))).event).toBe('job.done')
    await engine.call('settings.set', { embedder: 'team-encoder' })
    await importRows('a.csv', 0, 40)
    const first = await train('team-encoder')
    expect((first.payload as { result: TrainSummary }).result.model.embedder).toBe('team-encoder')

    await expect(engine.call('model.remove', { name: 'team-encoder' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^The active model queue v1 predicts with team-encoder/) as unknown
    })
    const second = (await train('none')).payload as { result: TrainSummary }
    await engine.call('model.activate', { modelId: second.result.model.id })

    const reindexed = next(indexDone)
    const removed = await engine.call('model.remove', { name: 'team-encoder' })
    expect(removed.message).toMatch(/^Removed team-encoder\. Similar tickets are re-indexed/)
    await reindexed
    expect(existsSync(join(dir, 'models', 'team-encoder'))).toBe(false)
    expect((await engine.call('settings.get', {})).embedder).toBeNull()
    const status = await engine.call('model.status', {})
    expect(status.embedders.map((e) => e.name)).not.toContain('team-encoder')
    expect(status.activeEmbedder).toBe('all-minilm-l6-v2-int8')
    expect(status.embedders.find((e) => e.name === 'all-minilm-l6-v2-int8')?.removable).toBe(false)

    await expect(engine.call('model.remove', { name: 'all-minilm-l6-v2-int8' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/^all-minilm-l6-v2-int8 is in .* \(TRIAGE_MODELS_DIR\), which the app never changes/) as unknown
    })
  })

  it('never removes from, or installs into, TRIAGE_MODELS_DIR, even when the engine is pointed at it', async () => {
    const pointed = createEngine({ dbPath: join(dir, 'pointed.sqlite'), modelsDir: SHARED_MODELS })
    try {
      const status = await pointed.call('model.status', {})
      expect(status.embedders.filter((e) => e.installed).length).toBeGreaterThan(0)
      expect(status.embedders.some((e) => e.removable)).toBe(false)
      await expect(pointed.call('model.remove', { name: 'use-lite-en' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
      expect(existsSync(join(SHARED_MODELS, 'use-lite-en', 'model.onnx'))).toBe(true)
      const elsewhere = join(dir, 'copy-of-use-lite-en')
      mkdirSync(elsewhere)
      for (const f of ['model.onnx', 'tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(SHARED_MODELS, 'use-lite-en', f), join(elsewhere, f))
      const refused = nextEvent(pointed, kindEnded('install'))
      await pointed.call('model.install', { path: elsewhere })
      expect((await refused).payload).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringMatching(/is TRIAGE_MODELS_DIR, which the app never writes to/) as unknown } })
    } finally {
      await pointed.close()
    }
  })
})
