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
  const rest =
    single || first.provider !== 'cpu'
      ? []
      : await Promise.allSettled(Array.from({ length: count - 1 }, () => loadEmbedderInWorker(name, { ...loadOptions, intraOpNumThreads: 1 })))
  const pool = [first, ...rest.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))]
  const shards = new ShardQueue(pool)
  return {
    name: first.name,
    dimension: first.dimension,
    provider: first.provider,
    providerNotes: pool.length > 1 ? [...first.providerNotes, `${pool.length} worker threads with one onnxruntime thread each`] : first.providerNotes,
    // `signal`: the request's shards not yet handed to a worker are dropped (an AbortError at once);
    // the ones in a worker's hands finish, since one onnxruntime run cannot be interrupted.
    async embed(texts, signal) {
      signal?.throwIfAborted()
      const dim = first.dimension
      if (texts.length <= LOOKUP_TEXTS) return shards.run({ texts, urgent: true, signal })
      const result = new Float32Array(texts.length * dim)
      const failed = { error: undefined as unknown }
      await Promise.all(
        planShards(texts).map(async (shard) => {
          const vectors = await shards.run({ texts: shard.map((i) => texts[i]!), urgent: false, failed, signal })
          shard.forEach((i, r) => result.set(vectors.subarray(r * dim, (r + 1) * dim), i * dim))
        })
      )
      return result
    },
    async close() {
      shards.closeAll(new Error('the embedder was closed'))
      await Promise.all(pool.map((w) => w.close()))
    }
  }
}

/**
 * A request this small is someone waiting in the window (the similar tickets of the ticket just opened, a
 * typed text, one imported ticket's prediction): it goes ahead of every queued shard of an index or
 * prediction job and waits only for the shard a worker has in hand. Without this it queued behind the
 * job's whole batch in flight, and the ticket panel showed "Finding similar tickets…" for as long as the
 * index job of a fresh import took on a slow machine.
 */
export const LOOKUP_TEXTS = 16

interface ShardRequest {
  readonly texts: string[]
  readonly urgent: boolean
  /** Shared by the shards of one request: once one fails, its queued siblings are not run. */
  readonly failed?: { error: unknown }
  readonly signal?: AbortSignal | undefined
}

interface QueuedShard extends ShardRequest {
  readonly resolve: (vectors: Float32Array) => void
  readonly reject: (err: unknown) => void
  /** Forgets the abort listener once a worker has the shard (a job's signal would collect hundreds). */
  readonly dequeued: () => void
}

/**
 * Hands shards to the workers, one shard per worker at a time, urgent ones first. Each worker serves its
 * messages in order, so a shard posted to a busy worker would wait behind everything posted before it;
 * keeping the queue here lets a look-up overtake a job.
 */
class ShardQueue {
  private readonly urgent: QueuedShard[] = []
  private readonly bulk: QueuedShard[] = []
  private readonly idle: Embedder[]
  private closed: Error | undefined

  constructor(workers: readonly Embedder[]) {
    this.idle = [...workers]
  }

  run(request: ShardRequest): Promise<Float32Array> {
    if (this.closed) return Promise.reject(this.closed)
    return new Promise((resolve, reject) => {
      const queue = request.urgent ? this.urgent : this.bulk
      const { signal } = request
      // A cancelled job's queued shards leave the queue at once, so its caller hears of the cancel now
      // and the next request does not wait behind work nobody wants.
      const onAbort = (): void => {
        const at = queue.indexOf(shard)
        if (at < 0) return
        queue.splice(at, 1)
        reject(signal!.reason)
      }
      const shard: QueuedShard = { ...request, resolve, reject, dequeued: () => signal?.removeEventListener('abort', onAbort) }
      signal?.addEventListener('abort', onAbort, { once: true })
      queue.push(shard)
      this.pump()
    })
  }

  closeAll(err: Error): void {
    this.closed = err
    for (const shard of this.urgent.splice(0).concat(this.bulk.splice(0))) {
      shard.dequeued()
      shard.reject(err)
    }
  }

  private pump(): void {
    while (this.idle.length > 0) {
      const shard = this.urgent.shift() ?? this.bulk.shift()
      if (!shard) return
      shard.dequeued()
      if (shard.failed?.error !== undefined) {
        shard.reject(shard.failed.error)
        continue
      }
      const worker = this.idle.pop()!
      worker
        .embed(shard.texts)
        .then(shard.resolve, (err: unknown) => {
          if (shard.failed && shard.failed.error === undefined) shard.failed.error = err
          shard.reject(err)
        })
        .finally(() => {
          this.idle.push(worker)
          this.pump()
        })
    }
  }
}
