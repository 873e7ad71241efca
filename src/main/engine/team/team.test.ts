// Team sync against a real PostgreSQL (a throwaway cluster, testPostgres.ts): desktops are real SQLite
// files driven through the engine's own requests, as the app and the CLI drive them.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../api/engine.ts'
import { jobEnded, kindEnded, nextEvent } from '../api/engineEvents.ts'
import type { WireEvent } from '../../../shared/contract.ts'
import type { JobProgress } from '../../../shared/domain.ts'
import { predictMissing } from '../predict/predictTickets.ts'
import { activeStoredHead } from '../predict/modelsRepo.ts'
import { fixtureTickets } from '../fixtureTickets.ts'
import { openCsv } from '../ingest/csvSource.ts'
import { importCsv } from '../ingest/importCsv.ts'
import { addMember, initTeam } from './teamAdmin.ts'
import { joinTeam } from './teamJoin.ts'
import { syncOnce } from './teamSync.ts'
import type { TeamStatus } from '../../../shared/team.ts'
import { HAS_OPENSSL, POSTGRES_SKIP, startPostgres, type TestPostgres } from './testPostgres.ts'

const quote = (v: string): string => `"${v.replaceAll('"', '""')}"`
/** An export with ids T-<from>… T-<from+count-1>, the same content for the same id in every export. */
function exportCsv(from: number, count: number): string {
  const tickets = fixtureTickets(from + count).slice(from)
  return ['id,subject,body,queue', ...tickets.map((t, i) => [`T-${from + i}`, t.subject, t.body, t.queue].map(quote).join(','))].join('\n') + '\n'
}

let server: TestPostgres
let dir: string
let teams = 0
const open: Engine[] = []

/** A fresh team database on the cluster, initialised by its owner, with lead1, lead2 and agent1 in it. */
async function freshTeam(): Promise<(role: string) => string> {
  const name = `team${++teams}`
  await server.admin(`CREATE DATABASE ${name} OWNER team_owner`)
  const url = (role: string): string => server.url(role).replace(/\/team$/, `/${name}`)
  await initTeam(url('team_owner'))
  await addMember(url('team_owner'), 'lead1', 'lead')
  await addMember(url('team_owner'), 'lead2', 'lead')
  await addMember(url('team_owner'), 'agent1', 'agent')
  return url
}

interface Desktop {
  readonly path: string
  readonly engine: Engine
}

function desktop(name: string): Desktop {
  const path = join(dir, `${name}-${Math.random().toString(36).slice(2)}.sqlite`)
  const engine = createEngine({ dbPath: path, predictMissingAtStart: false })
  open.push(engine)
  return { path, engine }
}

async function importInto(d: Desktop, csv: string): Promise<void> {
  const file = join(dir, `export-${Math.random().toString(36).slice(2)}.csv`)
  writeFileSync(file, csv)
  await importCsv(d.engine.db, await openCsv(file))
}

const count = (d: Desktop, sql: string, ...args: unknown[]): number => (d.engine.db.prepare(sql).get(...args) as { n: number }).n
const ticketId = (d: Desktop, externalId: string): number => (d.engine.db.prepare('SELECT id FROM tickets WHERE external_id = ?').get(externalId) as { id: number }).id
const label = (d: Desktop, externalId: string, target = 'queue'): string | undefined =>
  (d.engine.db.prepare('SELECT l.value FROM labels l JOIN tickets t ON t.id = l.ticket_id WHERE t.external_id = ? AND l.target = ? AND l.current = 1').get(externalId, target) as { value: string } | undefined)?.value
/** Every ticket with its current labels, in external-id order: what two converged desktops agree on. */
const contents = (d: Desktop): string[] =>
  (d.engine.db
    .prepare(`SELECT t.external_id || '|' || t.content_hash || '|' || COALESCE((SELECT group_concat(target || '=' || value, ',') FROM (SELECT target, value FROM labels WHERE ticket_id = t.id AND current = 1 ORDER BY target)), '') AS row FROM tickets t ORDER BY t.external_id`)
    .all() as { row: string }[]).map((r) => r.row)

/** Waits for something the engine does on its own; fails the test if it has not happened in 20 s. */
async function until(done: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 20_000; !done(); ) {
    if (Date.now() > deadline) throw new Error('did not happen within 20 s')
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function asRole(url: string, sql: string, params: unknown[] = []): Promise<unknown> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return await c.query(sql, params)
  } finally {
    await c.end()
  }
}

describe.skipIf(POSTGRES_SKIP !== undefined)(`team sync through PostgreSQL${POSTGRES_SKIP ? ` (skipped: ${POSTGRES_SKIP})` : ''}`, () => {
  beforeAll(async () => {
    server = await startPostgres()
    dir = mkdtempSync(join(tmpdir(), 'triage-team-'))
  })
  afterAll(async () => {
    for (const e of open) await e.close().catch(() => {})
    server?.destroy()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('brings two desktops to the same tickets, labels and decisions; the same export imported twice is one ticket per id', async () => {
    const url = await freshTeam()
    const a = desktop('a')
    const b = desktop('b')
    await importInto(a, exportCsv(0, 120))
    await joinTeam(a.engine.db, a.path, url('lead1'))
    expect((await a.engine.call('team.sync', {})).byKind.pushed.tickets).toBe(120)

    await joinTeam(b.engine.db, b.path, url('lead2'))
    const first = await b.engine.call('team.sync', {})
    expect(first.byKind.pulled.tickets).toBe(120)
    expect(contents(b)).toEqual(contents(a))

    // B imports an export overlapping A's: only the new tickets go out, and the team keeps one row per id.
    await importInto(b, exportCsv(100, 50))
    expect((await b.engine.call('team.sync', {})).byKind.pushed.tickets).toBe(30)
    const a2 = await a.engine.call('team.sync', {})
    expect(a2.byKind.pulled.tickets).toBe(30)
    expect(count(a, 'SELECT COUNT(*) AS n FROM tickets')).toBe(150)
    expect(((await asRole(url('lead1'), 'SELECT COUNT(*)::int AS n FROM triage.tickets')) as pg.QueryResult).rows[0].n).toBe(150)

    // A lead's decision reaches the other desktop, with the authenticated role as its author.
    await b.engine.call('review.decide', { ticketId: ticketId(b, 'T-7'), target: 'queue', label: 'Escalations' })
    expect((await b.engine.call('team.sync', {})).byKind.pushed.decisions).toBe(1)
    expect((await a.engine.call('team.sync', {})).byKind.pulled.decisions).toBe(1)
    expect(label(a, 'T-7')).toBe('Escalations')
    expect(a.engine.db.prepare("SELECT who FROM reviews WHERE action = 'correct'").get()).toEqual({ who: 'lead2' })
    expect(contents(a)).toEqual(contents(b))

    // A round with nothing new moves nothing.
    expect(await a.engine.call('team.sync', {})).toMatchObject({ pushed: 0, pulled: 0, conflicts: 0 })
  })

  it('lets the database itself refuse an agent a lead\'s action, and keeps the agent\'s decision off the team', async () => {
    const url = await freshTeam()
    const lead = desktop('lead')
    await importInto(lead, exportCsv(0, 20))
    await joinTeam(lead.engine.db, lead.path, url('lead1'))
    await lead.engine.call('team.sync', {})

    const agent = desktop('agent')
    expect((await joinTeam(agent.engine.db, agent.path, url('agent1'))).lead).toBe(false)
    expect((await agent.engine.call('team.sync', {})).byKind.pulled.tickets).toBe(20)
    await agent.engine.call('review.decide', { ticketId: ticketId(agent, 'T-3'), target: 'queue', label: 'Agent Says' })
    const refused = await agent.engine.call('team.sync', {})
    expect(refused).toMatchObject({ refused: 1 })
    expect(refused.byKind.pushed.decisions).toBe(0)
    expect(await agent.engine.call('team.status', {})).toMatchObject({ toPush: { decisions: 1 } })
    await lead.engine.call('team.sync', {})
    expect(label(lead, 'T-3')).not.toBe('Agent Says')

    // Straight to the database, past our code: the GRANTs refuse it.
    const direct = (sql: string, params: unknown[]) => asRole(url('agent1'), sql, params).then(() => 'accepted', (e: { code?: string }) => e.code)
    const id = '00000000-0000-4000-8000-000000000001'
    const desk = '00000000-0000-4000-8000-0000000000aa'
    expect(await direct("INSERT INTO triage.decisions (id, external_id, target, action, to_value, decided_at, desktop) VALUES ($1, 'T-3', 'queue', 'correct', 'X', now(), $2)", [id, desk])).toBe('42501')
    expect(await direct('INSERT INTO triage.thresholds (id, model_id, thresholds, desktop) VALUES ($1, $1, \'{}\', $2)', [id, desk])).toBe('42501')
    expect(await direct('UPDATE triage.decisions SET to_value = $1 WHERE id = $2', ['X', id])).toBe('42501')
    // An agent may import, and the row names the authenticated role whatever the client claims.
    expect(await direct("INSERT INTO triage.tickets (external_id, subject, body, labels, raw, content_hash, desktop, author) VALUES ('N-1', 's', 'b', '[]', '{}', 'h', $1, 'lead1')", [desk])).toBe('accepted')
    expect(((await asRole(url('lead1'), "SELECT author FROM triage.tickets WHERE external_id = 'N-1'")) as pg.QueryResult).rows[0].author).toBe('agent1')
    // Decisions are append-only even for a lead.
    expect(await asRole(url('lead1'), "UPDATE triage.decisions SET to_value = 'Y'").then(() => 'accepted', (e: { code?: string }) => e.code)).toBe('42501')
  })

  it('decides a conflict by server order on both desktops and shows the losing lead that it lost', async () => {
    const url = await freshTeam()
    const a = desktop('a')
    const b = desktop('b')
    await importInto(a, exportCsv(0, 12))
    await joinTeam(a.engine.db, a.path, url('lead1'))
    await a.engine.call('team.sync', {})
    await joinTeam(b.engine.db, b.path, url('lead2'))
    await b.engine.call('team.sync', {})

    // Both decide T-5 before either hears of the other's decision.
    await a.engine.call('review.decide', { ticketId: ticketId(a, 'T-5'), target: 'queue', label: 'Alpha' })
    await b.engine.call('review.decide', { ticketId: ticketId(b, 'T-5'), target: 'queue', label: 'Beta' })
    await a.engine.call('team.sync', {})
    const bRound = await b.engine.call('team.sync', {})
    const aRound = await a.engine.call('team.sync', {})
    expect([bRound.conflicts, aRound.conflicts]).toEqual([1, 1])
    // B pushed later, so B's decision wins everywhere.
    expect([label(a, 'T-5'), label(b, 'T-5')]).toEqual(['Beta', 'Beta'])
    const status = await a.engine.call('team.status', {})
    expect(status.superseded).toEqual([expect.objectContaining({ externalId: 'T-5', target: 'queue', yours: 'Alpha', winner: 'Beta', winnerBy: 'lead2' })])
    expect((await b.engine.call('team.status', {})).superseded).toEqual([])
    // Both decisions stay in each desktop's audit trail.
    for (const d of [a, b]) {
      const rows = (await d.engine.call('review.audit', { target: 'queue' })).rows
      expect(rows.map((r) => `${r.to}${r.superseded ? ' (superseded)' : ''}`).sort()).toEqual(['Alpha (superseded)', 'Beta'])
    }
  })

  it('completes a pull cut off between any two batches with exact counts', async () => {
    const url = await freshTeam()
    const a = desktop('a')
    await importInto(a, exportCsv(0, 300))
    await joinTeam(a.engine.db, a.path, url('lead1'))
    for (const n of [3, 40, 41, 299]) await a.engine.call('review.decide', { ticketId: ticketId(a, `T-${n}`), target: 'queue', label: `Lead ${n}` })
    await a.engine.call('team.sync', {})

    const b = desktop('b')
    await joinTeam(b.engine.db, b.path, url('lead2'))
    let rounds = 0
    for (let done = false; !done; rounds++) {
      let batches = 0
      const cutAfter = 1 + Math.floor(Math.random() * 5)
      try {
        await syncOnce(b.engine.db, {
          dbPath: b.path,
          batchSize: 7,
          afterBatch: () => {
            if (++batches === cutAfter) throw new Error('cut off')
          }
        })
        done = true
      } catch (err) {
        expect((err as Error).message).toBe('cut off')
      }
    }
    expect(rounds).toBeGreaterThan(1)
    expect(contents(b)).toEqual(contents(a))
    expect(count(b, 'SELECT COUNT(*) AS n FROM tickets')).toBe(300)
    expect(count(b, "SELECT COUNT(*) AS n FROM reviews WHERE action = 'correct'")).toBe(4)
    expect(count(b, 'SELECT COUNT(*) AS n FROM labels')).toBe(304)
  })

  it('completes a sync killed with kill -9 at random points', async () => {
    const url = await freshTeam()
    const a = desktop('a')
    await importInto(a, exportCsv(0, 400))
    await joinTeam(a.engine.db, a.path, url('lead1'))
    await a.engine.call('review.decide', { ticketId: ticketId(a, 'T-9'), target: 'queue', label: 'Killed Queue' })
    await a.engine.call('team.sync', {})

    const c = desktop('c')
    await joinTeam(c.engine.db, c.path, url('lead2'))
    await c.engine.close()
    const cli = resolve('bin/triage.mjs')
    const syncProcess = (killAfterMs?: number): Promise<number | null> =>
      new Promise((done) => {
        const child = spawn(process.execPath, [cli, 'team', 'sync', '--db', c.path, '--json'], { stdio: 'ignore' })
        const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs)
        child.on('exit', (code) => {
          clearTimeout(timer)
          done(code)
        })
      })
    for (let i = 0; i < 3; i++) await syncProcess(800 + Math.floor(Math.random() * 2500))
    expect(await syncProcess()).toBe(0)
    const after = createEngine({ dbPath: c.path, predictMissingAtStart: false })
    open.push(after)
    const check = { path: c.path, engine: after }
    expect(contents(check)).toEqual(contents(a))
    expect(count(check, 'SELECT COUNT(*) AS n FROM tickets')).toBe(400)
    expect(count(check, 'SELECT COUNT(*) AS n FROM reviews')).toBe(1)
    expect(label(check, 'T-9')).toBe('Killed Queue')
  })

  it('works offline while the database is down and catches up when it is back', async () => {
    const url = await freshTeam()
    const a = desktop('a')
    const b = desktop('b')
    await importInto(a, exportCsv(0, 30))
    await joinTeam(a.engine.db, a.path, url('lead1'))
    await a.engine.call('team.sync', {})
    await joinTeam(b.engine.db, b.path, url('lead2'))
    await b.engine.call('team.sync', {})

    server.stop()
    try {
      await a.engine.call('review.decide', { ticketId: ticketId(a, 'T-2'), target: 'queue', label: 'While Offline' })
      await importInto(a, exportCsv(30, 5))
      await expect(a.engine.call('team.sync', {})).rejects.toMatchObject({ code: 'TEAM_OFFLINE' })
      const offline = await a.engine.call('team.status', {})
      expect(offline.offlineSince).not.toBeNull()
      expect(offline.toPush).toEqual({ tickets: 5, decisions: 1 })
    } finally {
      server.start()
    }
    const back = await a.engine.call('team.sync', {})
    expect(back.byKind.pushed).toMatchObject({ tickets: 5, decisions: 1 })
    expect((await a.engine.call('team.status', {})).offlineSince).toBeNull()
    await b.engine.call('team.sync', {})
    expect(label(b, 'T-2')).toBe('While Offline')
    expect(contents(b)).toEqual(contents(a))
  })

  it('carries a lead\'s model version, its activation and thresholds to another desktop, which predicts with it', async () => {
    const url = await freshTeam()
    const a = desktop('a')
    await importInto(a, exportCsv(0, 90))
    await joinTeam(a.engine.db, a.path, url('lead1'))
    let jobId = ''
    const trained = nextEvent(a.engine, (e) => jobEnded(jobId)(e))
    jobId = (await a.engine.call('model.train', { target: 'queue', embedder: 'none' })).jobId
    expect((await trained).event).toBe('job.done')
    const head = activeStoredHead(a.engine.db, 'queue')!
    expect((await a.engine.call('team.sync', {})).byKind.pushed).toMatchObject({ tickets: 90, models: 1, activations: 1 })

    const b = desktop('b')
    await joinTeam(b.engine.db, b.path, url('agent1'))
    expect((await b.engine.call('team.sync', {})).byKind.pulled).toMatchObject({ tickets: 90, models: 1, activations: 1 })
    const pulled = activeStoredHead(b.engine.db, 'queue')!
    expect(pulled.summary.sha256).toBe(head.summary.sha256)
    expect(pulled.summary.metrics).toEqual(head.summary.metrics)
    expect((await predictMissing(b.engine.db, 0)).predicted).toBe(90)
    const predicted = (d: Desktop): string[] =>
      (d.engine.db.prepare("SELECT t.external_id || '=' || p.label AS x FROM predictions p JOIN tickets t ON t.id = p.ticket_id JOIN models m ON m.id = p.model_id AND m.active = 1 ORDER BY t.external_id").all() as { x: string }[]).map((r) => r.x)
    expect(predicted(b)).toEqual(predicted(a))

    await a.engine.call('model.thresholdsApply', { modelId: head.summary.id, global: 0.77 })
    expect((await a.engine.call('team.sync', {})).byKind.pushed.thresholds).toBe(1)
    expect((await b.engine.call('team.sync', {})).byKind.pulled.thresholds).toBe(1)
    expect(activeStoredHead(b.engine.db, 'queue')!.summary.thresholds.global).toBe(0.77)
  })

  it('syncs by itself in the running engine: after a local decision, and when PostgreSQL notifies', async () => {
    const url = await freshTeam()
    const seed = desktop('seed')
    await importInto(seed, exportCsv(0, 10))
    await joinTeam(seed.engine.db, seed.path, url('lead1'))
    await seed.engine.call('team.sync', {})
    const live = (name: string): Desktop => {
      const path = join(dir, `${name}-${Math.random().toString(36).slice(2)}.sqlite`)
      const engine = createEngine({ dbPath: path, predictMissingAtStart: false, teamAutoSync: true })
      open.push(engine)
      return { path, engine }
    }
    const a = live('a')
    const b = live('b')
    // Joining through the engine's request starts listening, and the first round brings the tickets.
    await a.engine.call('team.join', { url: url('lead1') })
    await b.engine.call('team.join', { url: url('lead2') })
    await until(() => count(a, 'SELECT COUNT(*) AS n FROM tickets') === 10 && count(b, 'SELECT COUNT(*) AS n FROM tickets') === 10)
    // Each round tells the clients the new status (the window's status chip follows this event).
    const told = nextEvent(b.engine, (e) => e.event === 'team.status' && (e.payload as TeamStatus).lastSync?.byKind.pulled.decisions === 1)
    await a.engine.call('review.decide', { ticketId: ticketId(a, 'T-4'), target: 'queue', label: 'Heard Live' })
    await until(() => label(b, 'T-4') === 'Heard Live')
    const status = (await told).payload as TeamStatus
    expect(status).toMatchObject({ joined: true, role: 'lead2', lead: true, offlineSince: null })
    expect((await a.engine.call('team.status', {})).toPush).toEqual({ tickets: 0, decisions: 0 })
  })

  it('shows a large catch-up as a sync job with progress (pulled n of about N); a small round starts no job', async () => {
    const url = await freshTeam()
    const seed = desktop('seed')
    await importInto(seed, exportCsv(0, 2500))
    await joinTeam(seed.engine.db, seed.path, url('lead1'))
    await seed.engine.call('team.sync', {})
    const late = desktop('late')
    await late.engine.call('team.join', { url: url('lead2') })
    const events: WireEvent[] = []
    const off = late.engine.onEvent((e) => events.push(e))
    const done = nextEvent(late.engine, kindEnded('sync'))
    const round = await late.engine.call('team.sync', {})
    expect(round.byKind.pulled.tickets).toBe(2500)
    expect((await done).payload).toMatchObject({ kind: 'sync', result: { pulled: 2500 } })
    const progress = events.filter((e) => e.event === 'job.progress').map((e) => e.payload as JobProgress)
    expect(progress.every((p) => p.kind === 'sync' && p.phase === 'pulling' && p.total === 2500)).toBe(true)
    expect(progress.map((p) => p.rows)).toEqual([0, 2000, 2500])
    expect(progress.at(-1)!.percent).toBe(100)
    // Nothing new: a quiet round, no job in the tray.
    events.length = 0
    expect((await late.engine.call('team.sync', {})).pulled).toBe(0)
    await new Promise((r) => setTimeout(r, 50))
    expect(events.filter((e) => e.event.startsWith('job.'))).toEqual([])
    off()
  })

  it('hands a joined password to a host that keeps it (Electron safeStorage) instead of a password file, and waits for the host before syncing', async () => {
    const url = await freshTeam()
    const seed = desktop('seed')
    await importInto(seed, exportCsv(0, 3))
    await joinTeam(seed.engine.db, seed.path, url('lead1'))
    await seed.engine.call('team.sync', {})
    const kept: { url: string; password: string }[] = []
    let forgotten = 0
    let handOver = (): void => {}
    const path = join(dir, `kept-${Math.random().toString(36).slice(2)}.sqlite`)
    const engine = createEngine({
      dbPath: path,
      predictMissingAtStart: false,
      teamAutoSync: true,
      teamPasswords: { keep: (u, password) => kept.push({ url: u, password }), forget: () => forgotten++ },
      teamPasswordsReady: new Promise<void>((resolve) => (handOver = resolve))
    })
    open.push(engine)
    const joined = await engine.call('team.join', { url: url('lead2').replace('lead2@', 'lead2:p%40ss@') })
    expect(joined.passwordFile).toBeNull()
    expect(existsSync(`${path}.pgpass`)).toBe(false)
    expect(kept).toEqual([{ url: url('lead2'), password: 'p@ss' }])
    // No round before the host handed over its passwords; one right after.
    await new Promise((r) => setTimeout(r, 300))
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM tickets').get()).toEqual({ n: 0 })
    handOver()
    await until(() => (engine.db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n === 3)
    await engine.call('team.leave', {})
    expect(forgotten).toBe(1)
  })

  it.skipIf(!HAS_OPENSSL)('connects with sslmode=verify-full and refuses a server its CA did not sign (skipped without openssl)', async () => {
    if (!server.tls) throw new Error('the test cluster started without TLS')
    const url = await freshTeam()
    const a = desktop('a')
    await importInto(a, exportCsv(0, 5))
    const verified = `${url('lead1')}?sslmode=verify-full&sslrootcert=${encodeURIComponent(server.tls.ca)}`
    expect((await joinTeam(a.engine.db, a.path, verified)).url).toContain('sslmode=verify-full')
    expect((await a.engine.call('team.sync', {})).byKind.pushed.tickets).toBe(5)
    const c = new pg.Client({ connectionString: verified })
    await c.connect()
    expect((await c.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0].ssl).toBe(true)
    await c.end()
    const b = desktop('b')
    const wrongCa = `${url('lead2')}?sslmode=verify-full&sslrootcert=${encodeURIComponent(server.tls.otherCa)}`
    await expect(joinTeam(b.engine.db, b.path, wrongCa)).rejects.toMatchObject({ code: 'TEAM_OFFLINE', message: expect.stringMatching(/certificate/) })
  })

  it('refuses a team database written by a newer app', async () => {
    const url = await freshTeam()
    await asRole(url('team_owner'), "INSERT INTO triage.schema_migrations (version, name) VALUES (99, 'from-the-future')")
    const a = desktop('a')
    await expect(joinTeam(a.engine.db, a.path, url('lead1'))).rejects.toMatchObject({ code: 'TEAM_DB_NEWER_THAN_APP' })
    await expect(initTeam(url('team_owner'))).rejects.toMatchObject({ code: 'TEAM_DB_NEWER_THAN_APP' })
  })
})
