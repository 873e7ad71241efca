import { describe, expect, it } from 'vitest'
import { listInstalledEmbedders, loadEmbedder } from './embedder.ts'
import { loadEmbedderInWorker } from './embedderWorker.ts'
import { modelsForTests } from './testEncoder.ts'

const installed = listInstalledEmbedders()
const model = installed[0]?.name

describe.skipIf(!model)('embedder in a worker thread', () => {
  it('gives the same vectors as in-thread, and keeps the event loop free while embedding', async () => {
    const texts = Array.from({ length: 200 }, (_, i) => `printer ${i} on the third floor jams on every page since the driver update`)
    const inThread = await loadEmbedder(model!)
    const expected = await inThread.embed(texts.slice(0, 5))
    await inThread.close()
    const worker = await loadEmbedderInWorker(model!)
    expect(worker.dimension).toBe(inThread.dimension)
    let last = performance.now()
    let maxGap = 0
    const tick = setInterval(() => {
      const now = performance.now()
      maxGap = Math.max(maxGap, now - last)
      last = now
    }, 5)
    const all = await worker.embed(texts)
    clearInterval(tick)
    expect(all.length).toBe(200 * worker.dimension)
    const first5 = await worker.embed(texts.slice(0, 5))
    for (let i = 0; i < expected.length; i++) expect(first5[i]).toBeCloseTo(expected[i]!, 5)
    // In-thread, one batch of 64 blocks the loop for hundreds of milliseconds; here it stays free.
    expect(maxGap).toBeLessThan(150)
    await worker.close()
  })

  it('reports a model that is not installed with the loader\'s typed error', async () => {
    await expect(loadEmbedderInWorker('no-such-model')).rejects.toThrow()
  })
})

describe('closing an embedding worker', () => {
  it('stops the run in hand at its next batch and releases the session, without taking the process down', async () => {
    // The real default model where the shared models are, else the test encoder.
    const models = modelsForTests()
    const worker = await loadEmbedderInWorker(models.defaultEmbedder, { modelsDir: models.dir, batchSize: 1 })
    // Thousands of one-text batches: far more than can finish before the close arrives.
    const texts = Array.from({ length: 20_000 }, (_, i) => `vpn drops every ${i} minutes on the office wifi`)
    const running = worker.embed(texts)
    const outcome = running.then(
      () => 'finished',
      (err: unknown) => (err as Error).message
    )
    await new Promise((resolve) => setTimeout(resolve, 50))
    await worker.close()
    // A worker terminated inside an onnxruntime run would have aborted this test process instead.
    expect(await outcome).toBe('the embedder was closed')
    await expect(worker.embed(['printer jams'])).rejects.toThrow('the embedder was closed')
  })
})
