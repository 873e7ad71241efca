// Embeds on every core at once: one worker thread per core, each with its own single-threaded ONNX
// session, taking shards of texts from a shared queue. Measured on this 2-core machine (use-lite-en,
// it-service tickets), two 1-thread sessions on small batches beat one 2-thread session on batches of
// 64 by ~15 %: a 1-thread run has no per-operator hand-off between threads, and each worker tokenises
// its next shard while the other one runs. On a GPU one session already saturates the device, so a
// non-CPU provider gets a single worker.
import { availableParallelism } from 'node:os'
import type { Embedder, LoadEmbedderOptions } from './embedder.ts'
import { loadEmbedderInWorker } from './embedderWorker.ts'

/** Texts per hand-out: small enough to balance the workers; shards hold texts of similar length. */
export const SHARD_TEXTS = 256

/**
 * The shards of one request, as indices into it: texts ordered by length, cut into runs of SHARD_TEXTS,
 * longest run first. Each worker then pads its batches to neighbours of nearly the same length (the
 * batches inside a shard are sorted by tokens), and handing out the slow shards first leaves only short
 * ones for the end, so no worker idles long while the other finishes. (Measured, int8 MiniLM: shards in
 * arrival order ran 399–412 tickets/s depending on their size.)
 */
export function planShards(texts: readonly string[], size = SHARD_TEXTS): number[][] {
  const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length || a - b)
  const shards: number[][] = []
  for (let at = 0; at < order.length; at += size) shards.push(order.slice(at, at + size))
  return shards.reverse()
}

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
      const shards = planShards(texts)
      let next = 0
      // Each worker takes the next shard as soon as it is free.
      await Promise.all(
        pool.map(async (worker) => {
          while (next < shards.length) {
            const shard = shards[next++]!
            const vectors = await worker.embed(shard.map((i) => texts[i]!))
            shard.forEach((i, r) => result.set(vectors.subarray(r * dim, (r + 1) * dim), i * dim))
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
