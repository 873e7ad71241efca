// Checkpoints the WAL on a worker thread while a long writer (the import) commits many small
// transactions on the engine's thread. SQLite's automatic checkpoint copies the WAL back into the
// database and syncs it inside the commit that crosses 1,000 pages, on the committing thread: with the
// import's ~25 ms transactions, those commits took 50 to 270 ms and the checkpoints were most of what
// small transactions cost (38k it-service rows written in 150-row transactions: 5.7 s with them, 3.3 s
// without; 2.6 s in 10,000-row ones). A PASSIVE checkpoint on another connection never blocks the
// writer, so the engine's thread only commits. The same file is the worker's entry point.
import { statSync } from 'node:fs'
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { startModuleWorker } from '../jobs/moduleWorker.ts'
import { nativeBinding, type Db } from './database.ts'

/** SQLite's default, which the store keeps (database.ts sets none). */
const AUTO_CHECKPOINT_PAGES = 1000
/**
 * A WAL restarts from its beginning only at a commit that finds every frame checkpointed; while commits
 * keep coming, a checkpoint running beside them rarely finds that. Past this many frames (~16 MB) the
 * writer waits (asynchronously) for one checkpoint with no commit beside it, so the WAL stays bounded.
 */
const DRAIN_AFTER_FRAMES = 4000

interface CheckpointResult {
  readonly busy: number
  readonly log: number
  readonly checkpointed: number
}

export interface WalCheckpointer {
  /** Call after each commit: starts a checkpoint unless one is running. */
  afterCommit(): void
  /** Resolves once the WAL is small enough to go on; await it before the next commit. */
  ready(): Promise<void>
  /** Waits for a checkpoint that starts after the last commit, so that the next commit restarts the WAL. */
  drain(): Promise<void>
  /** Drains, hands checkpoints back to SQLite and ends the worker. */
  stop(): Promise<void>
}

/** Writers using a checkpointer now, per connection: automatic checkpoints come back when the last stops. */
const users = new WeakMap<Db, number>()

const INLINE: WalCheckpointer = {
  afterCommit: () => {},
  ready: () => Promise.resolve(),
  drain: () => Promise.resolve(),
  stop: () => Promise.resolve()
}

export function checkpointOffThread(db: Db): WalCheckpointer {
  if (db.memory || db.readonly || String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return INLINE
  let worker: Worker
  try {
    worker = startModuleWorker(import.meta.url, { walCheckpoint: db.name })
  } catch (err) {
    console.error(`checkpointing off the engine's thread: ${(err as Error).message}; SQLite checkpoints inline`)
    return INLINE
  }
  worker.unref()
  users.set(db, (users.get(db) ?? 0) + 1)
  db.pragma('wal_autocheckpoint = 0')
  let running: Promise<CheckpointResult | null> | null = null
  let frames = 0
  let walPeak = 0
  let failed = false
  let stopped = false
  const waiting: ((r: CheckpointResult | null) => void)[] = []
  // Without its worker the WAL would only grow: SQLite checkpoints inline again, and no one waits forever.
  const lost = (why: string): void => {
    if (!failed && !stopped) {
      console.error(`WAL checkpoint worker: ${why}; SQLite checkpoints inline`)
      if (db.open) db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`)
    }
    failed = true
    for (const w of waiting.splice(0)) w(null)
  }
  worker.on('error', (err) => lost(err.message))
  worker.on('exit', (code) => lost(`stopped (exit code ${code})`))
  worker.on('message', (r: CheckpointResult | { error: string }) => {
    if ('error' in r) lost(r.error)
    else waiting.shift()?.(r)
  })
  const checkpoint = (): Promise<CheckpointResult | null> => {
    if (failed) return Promise.resolve(null)
    const p = new Promise<CheckpointResult | null>((resolve) => waiting.push(resolve))
    worker.postMessage('checkpoint')
    return p
  }
  const start = (): Promise<CheckpointResult | null> => {
    const p = checkpoint().then((r) => {
      if (r) frames = r.log
      if (running === p) running = null
      return r
    })
    running = p
    return p
  }
  const drain = async (): Promise<void> => {
    if (running) await running
    await start()
  }
  return {
    afterCommit: () => {
      if (!running && !stopped) void start()
    },
    ready: async () => {
      if (failed) return
      // A checkpoint's answer says how long the WAL was when it started; one that runs slowly (a loaded
      // machine) says nothing of the commits since, but the WAL file only grows while it is not reused.
      const walBytes = fileSize(`${db.name}-wal`)
      if (frames >= DRAIN_AFTER_FRAMES || (walBytes > DRAIN_AFTER_FRAMES * 4096 && walBytes > walPeak)) {
        await drain()
        frames = 0
      }
      walPeak = Math.max(walPeak, walBytes)
    },
    drain,
    stop: async () => {
      if (stopped) return
      stopped = true
      await drain().catch(() => {})
      const left = (users.get(db) ?? 1) - 1
      if (left > 0) users.set(db, left)
      else {
        users.delete(db)
        if (db.open) db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`)
      }
      await worker.terminate()
    }
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

if (!isMainThread && parentPort && typeof (workerData as { walCheckpoint?: unknown } | undefined)?.walCheckpoint === 'string') {
  const port = parentPort
  const binding = nativeBinding()
  const db = new Database((workerData as { walCheckpoint: string }).walCheckpoint, { fileMustExist: true, ...(binding ? { nativeBinding: binding } : {}) })
  port.on('message', () => {
    try {
      const [r] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[]
      port.postMessage(r ?? { busy: 0, log: 0, checkpointed: 0 })
    } catch (err) {
      port.postMessage({ error: (err as Error).message })
    }
  })
}
