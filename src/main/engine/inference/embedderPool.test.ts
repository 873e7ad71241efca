import { describe, expect, it } from 'vitest'
import { listInstalledEmbedders, loadEmbedder } from './embedder.ts'
import { loadEmbedderPool, LOOKUP_TEXTS, planShards, SHARD_TEXTS } from './embedderPool.ts'

const model = listInstalledEmbedders().find((e) => e.name === 'use-lite-en')?.name

describe('planShards', () => {
  it('covers every text once, in runs of similar length, longest run first', () => {
    const texts = Array.from({ length: 700 }, (_, i) => 'x'.repeat((i * 7919) % 1000))
    const shards = planShards(texts, 256)
    expect(shards.map((s) => s.length)).toEqual([188, 256, 256])
    expect(shards.flat().sort((a, b) => a - b)).toEqual(texts.map((_, i) => i))
    const longest = (s: number[]) => Math.max(...s.map((i) => texts[i]!.length))
    expect(longest(shards[0]!)).toBeGreaterThanOrEqual(longest(shards[1]!))
    expect(Math.min(...shards[0]!.map((i) => texts[i]!.length))).toBeGreaterThanOrEqual(longest(shards[2]!))
  })
})

describe.skipIf(!model)('embedder pool', () => {
  it('puts every vector at its own row across shards and workers, as one in-thread session does', async () => {
    // Texts of very different lengths, so shards take unequal times and finish out of order.
    const texts = Array.from({ length: SHARD_TEXTS * 2 + 37 }, (_, i) =>
      i % 7 === 0 ? `vpn drops every ${i} minutes `.repeat(1 + (i % 13)) : `printer ${i} jams on floor ${i % 5}`
    )
    // fp32 (cpuInt8 off): int8 activations are scaled per batch, and batches differ between the two.
    const pool = await loadEmbedderPool(model!, { workers: 2, cpuInt8: false })
    const single = await loadEmbedder(model!, { intraOpNumThreads: 1, cpuInt8: false })
    try {
      expect(pool.providerNotes.join(' ')).toMatch(/2 worker threads with one onnxruntime thread each/)
      const fromPool = await pool.embed(texts)
      const expected = await single.embed(texts)
      expect(fromPool.length).toBe(texts.length * pool.dimension)
      // use-lite-en is fp32: batch composition changes nothing beyond rounding.
      let worst = 0
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(fromPool[i]! - expected[i]!))
      expect(worst).toBeLessThan(1e-4)
    } finally {
      await pool.close()
      await single.close()
    }
  })

  it('answers a look-up ahead of a job\'s queued shards', async () => {
    // One worker, so every shard of the job queues behind the one in hand.
    const pool = await loadEmbedderPool(model!, { workers: 1, cpuInt8: false })
    try {
      const job = Array.from({ length: SHARD_TEXTS * 2 }, (_, i) => `laptop ${i} will not connect to the docking station`)
      const finished: string[] = []
      const jobDone = pool.embed(job).then(() => finished.push('job'))
      // Posted once the job's first shard is running.
      await new Promise((resolve) => setTimeout(resolve, 50))
      const lookup = Array.from({ length: LOOKUP_TEXTS }, (_, i) => `password reset ${i}`)
      const vectors = await pool.embed(lookup).then((v) => (finished.push('lookup'), v))
      await jobDone
      expect(finished).toEqual(['lookup', 'job'])
      expect(vectors.length).toBe(LOOKUP_TEXTS * pool.dimension)
    } finally {
      await pool.close()
    }
  })

  it('drops a cancelled request\'s queued shards at once and keeps serving the next request', async () => {
    const pool = await loadEmbedderPool(model!, { workers: 1, cpuInt8: false })
    try {
      const job = Array.from({ length: SHARD_TEXTS * 6 }, (_, i) => `monitor ${i} flickers after the driver update`)
      const controller = new AbortController()
      const cancelled = pool.embed(job, controller.signal)
      await new Promise((resolve) => setTimeout(resolve, 50))
      controller.abort()
      // Rejected without waiting for the five shards no worker had started (an old pool ignored the
      // signal and resolved after all six).
      await expect(cancelled).rejects.toThrow(/abort/i)
      // The worker is free again: the shard in hand ended, nothing of the job is left in the queue.
      const after = await pool.embed(job.slice(0, SHARD_TEXTS * 2))
      expect(after.length).toBe(SHARD_TEXTS * 2 * pool.dimension)
      await expect(pool.embed(job, AbortSignal.abort())).rejects.toThrow(/abort/i)
    } finally {
      await pool.close()
    }
  })

  it('reports a model that is not installed with the loader\'s typed error', async () => {
    await expect(loadEmbedderPool('no-such-model', { workers: 2 })).rejects.toThrow()
  })
})
