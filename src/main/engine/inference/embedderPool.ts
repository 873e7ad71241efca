// Embeds on every core at once: one worker thread per core, each with its own single-threaded ONNX
// session, taking shards of texts from a shared queue. Measured on this 2-core machine (use-lite-en,
// it-service tickets), two 1-thread sessions on small batches beat one 2-thread session on batches of
// 64 by ~15 %: a 1-thread run has no per-operator hand-off between threads, and each worker tokenises
// its next shard while the other one runs. On a GPU one session already saturates the device, so a
// non-CPU provider gets a single worker.
import { availableParallelism } from 'node:os'
import type { Embedder, LoadEmbedderOptions } from './embedder.ts'
import { loadEmbedderInWorker } from './embedderWorker.ts'

/** Texts per hand-out: small enough to balance the workers, large enough to sort into tight batches. */
export const SHARD_TEXTS = 256

export interface PoolOptions extends LoadEmbedderOptions {
  /** Worker threads on CPU; default one per core, at most 4. */
  workers?: number
}

export function defaultEmbedWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()))
}

export async function loadEmbedderPool(name: string, options: PoolOptions = {}): Promise<Embedder> {
  const { workers: requested, ...loadOptions } = options
  const count = Math.max(1, requested ?? defaultEmbedWorkers())
  const single = count === 1
  // The first worker tells us the provider (and fails fast with the typed load error when it must).
  const first = await loadEmbedderInWorker(name, { ...loadOptions, ...(single ? {} : { intraOpNumThreads: 1 }) })
  if (single || first.provider !== 'cpu') return first
  const rest = await Promise.allSettled(Array.from({ length: count - 1 }, () => loadEmbedderInWorker(name, { ...loadOptions, intraOpNumThreads: 1 })))
  const pool = [first, ...rest.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))]
  return {
    name: first.name,
    dimension: first.dimension,
    provider: first.provider,
    providerNotes: [...first.providerNotes, `${pool.length} worker threads with one onnxruntime thread each`],
    async embed(texts) {
      const dim = first.dimension
      const result = new Float32Array(texts.length * dim)
      let next = 0
      // Each worker takes the next shard as soon as it is free, so a shard of long texts on one worker
      // does not leave the other idle.
      await Promise.all(
        pool.map(async (worker) => {
          for (let start = next; start < texts.length; start = next) {
            next = start + SHARD_TEXTS
            result.set(await worker.embed(texts.slice(start, start + SHARD_TEXTS)), start * dim)
          }
        })
      )
      return result
    },
    async close() {
      await Promise.all(pool.map((w) => w.close()))
    }
  }
}
