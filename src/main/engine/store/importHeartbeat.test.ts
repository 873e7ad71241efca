import { spawn } from 'node:child_process'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fixtureDir } from '../ingest/nastyFixtures.ts'
import { openDatabase, type Db } from './database.ts'
import { beatWhileRunning, markInterruptedImports, STALE_AFTER_MS } from './importHeartbeat.ts'
import { listImports } from './importsRepo.ts'

let db: Db
beforeEach(() => {
  db = openDatabase(join(fixtureDir(), 'h.sqlite'))
})
afterEach(() => db.close())

function runningImport(owner: string | null, heartbeatAt: string | null): number {
  return Number(
    db
      .prepare(
        `INSERT INTO imports (file_name, file_path, sha256, bytes, encoding, delimiter, headers, mapping, status, started_at, owner, heartbeat_at)
         VALUES ('a.csv', '/a.csv', '', 1, 'utf-8', ',', '[]', '{}', 'running', ?, ?, ?)`
      )
      .run(new Date().toISOString(), owner, heartbeatAt).lastInsertRowid
  )
}

const status = (id: number): string => (db.prepare('SELECT status FROM imports WHERE id = ?').get(id) as { status: string }).status

describe('import heartbeat', () => {
  it('leaves a live import running for a second engine, and marks only the dead ones interrupted', async () => {
    // A live process on this host that is not us, standing for the app while `triage imports` runs.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    try {
      const now = Date.now()
      const fresh = new Date(now - 1_000).toISOString()
      const live = runningImport(`${hostname()}:${other.pid}`, fresh)
      const deadPid = runningImport(`${hostname()}:2147483646`, fresh)
      const silent = runningImport(`${hostname()}:${other.pid}`, new Date(now - STALE_AFTER_MS - 1_000).toISOString())
      const unclaimed = runningImport(null, null)
      const elsewhere = runningImport('another-machine:12', fresh)
      expect(markInterruptedImports(db, now)).toBe(3)
      expect([live, deadPid, silent, unclaimed, elsewhere].map(status)).toEqual(['running', 'interrupted', 'interrupted', 'interrupted', 'running'])
      // The list shows an import interrupted as soon as its heartbeat goes stale, without a restart.
      other.kill('SIGKILL')
      await new Promise((r) => other.once('exit', r))
      expect(listImports(db).find((i) => i.importId === live)?.status).toBe('interrupted')
    } finally {
      other.kill('SIGKILL')
    }
  })

  it('claims an import for this process and keeps it alive while it runs', () => {
    const id = runningImport(null, null)
    const stop = beatWhileRunning(db, id)
    expect(db.prepare('SELECT owner FROM imports WHERE id = ?').get(id)).toEqual({ owner: `${hostname()}:${process.pid}` })
    expect(markInterruptedImports(db)).toBe(0)
    stop()
    expect(markInterruptedImports(db, Date.now() + STALE_AFTER_MS + 1)).toBe(1)
  })
})
