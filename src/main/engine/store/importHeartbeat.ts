// Honest import status with more than one engine on a database (the app importing while `triage imports`
// runs): a running import carries its owner (host:pid) and a heartbeat, and only one whose owner is gone, or
// whose heartbeat stopped, is marked interrupted. Before, every engine that opened the database marked
// every running import interrupted, live ones included.
import { hostname } from 'node:os'
import type { Db } from './database.ts'

export const BEAT_EVERY_MS = 5_000
/** Six missed beats: a busy engine commits a batch well within this, a dead one never does. */
export const STALE_AFTER_MS = 30_000

export function ownerHere(): string {
  return `${hostname()}:${process.pid}`
}

/** Claims an import for this process and keeps its heartbeat going until the returned stop is called. */
export function beatWhileRunning(db: Db, importId: number, owner = ownerHere()): () => void {
  const beat = db.prepare("UPDATE imports SET owner = ?, heartbeat_at = ? WHERE id = ? AND status = 'running'")
  const once = (): void => {
    try {
      beat.run(owner, new Date().toISOString(), importId)
    } catch {
      // The database closed under us (engine shutting down) or is busy: the next beat tries again.
    }
  }
  once()
  const timer = setInterval(once, BEAT_EVERY_MS)
  timer.unref()
  return () => clearInterval(timer)
}

/**
 * Marks interrupted every running import whose owner is gone: a process on this host that no longer exists,
 * a heartbeat older than STALE_AFTER_MS, or none at all (written before heartbeats, or never claimed).
 * Committed batches stay; importing the file again adds the rest without duplicates.
 */
export function markInterruptedImports(db: Db, now = Date.now()): number {
  const running = db.prepare("SELECT id, owner, heartbeat_at FROM imports WHERE status = 'running'").all() as {
    id: number
    owner: string | null
    heartbeat_at: string | null
  }[]
  const mark = db.prepare(
    "UPDATE imports SET status = 'interrupted', message = 'the app stopped during this import; importing the file again adds the rest without duplicates' WHERE id = ? AND status = 'running'"
  )
  let marked = 0
  for (const row of running) {
    if (ownerAlive(row.owner) && row.heartbeat_at !== null && now - Date.parse(row.heartbeat_at) < STALE_AFTER_MS) continue
    marked += mark.run(row.id).changes
  }
  return marked
}

function ownerAlive(owner: string | null): boolean {
  if (owner === null) return false
  const at = owner.lastIndexOf(':')
  const host = owner.slice(0, at)
  const pid = Number(owner.slice(at + 1))
  // Another machine's process (a database on a shared drive) cannot be asked: its heartbeat decides.
  if (host !== hostname() || !Number.isInteger(pid)) return true
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to someone else; only ESRCH means gone.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
