// npm run bench:team — team sync through a real PostgreSQL (a throwaway cluster on loopback, as the tests
// start it). Prints one JSON line:
// - initialPull: 100,000 tickets already in the team database pulled into an empty desktop (tickets/s);
// - propagation: one lead's decision on desktop A until it is the label on desktop B, both running the
//   engine with auto-sync (debounced push after the change, LISTEN/NOTIFY on the other side), p50/p95 ms;
// - concurrent: 10 desktops importing, deciding and syncing at once against one server; row counts checked.
import { createHash, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { createEngine, type Engine } from '../src/main/engine/api/engine.ts'
import { fixtureTickets } from '../src/main/engine/fixtureTickets.ts'
import { openCsv } from '../src/main/engine/ingest/csvSource.ts'
import { importCsv } from '../src/main/engine/ingest/importCsv.ts'
import { decide } from '../src/main/engine/review/reviewDecisions.ts'
import { openDatabase, type Db } from '../src/main/engine/store/database.ts'
import { addMember, initTeam } from '../src/main/engine/team/teamAdmin.ts'
import { joinTeam } from '../src/main/engine/team/teamJoin.ts'
import { syncOnce } from '../src/main/engine/team/teamSync.ts'
import { POSTGRES_SKIP, startPostgres } from '../src/main/engine/team/testPostgres.ts'

if (POSTGRES_SKIP) {
  console.log(JSON.stringify({ bench: 'team', skipped: POSTGRES_SKIP }))
  process.exit(0)
}

const server = await startPostgres()
const dir = mkdtempSync(join(tmpdir(), 'triage-bench-team-'))
let teams = 0
async function freshTeam(): Promise<(role: string) => string> {
  const name = `bench${++teams}`
  await server.admin(`CREATE DATABASE ${name} OWNER team_owner`)
  const url = (role: string): string => server.url(role).replace(/\/team$/, `/${name}`)
  await initTeam(url('team_owner'))
  for (const [role, kind] of [['lead1', 'lead'], ['lead2', 'lead'], ['agent1', 'agent']] as const) await addMember(url('team_owner'), role, kind)
  return url
}
const quote = (v: string): string => `"${v.replaceAll('"', '""')}"`
async function importExport(db: Db, prefix: string, from: number, count: number): Promise<void> {
  const tickets = fixtureTickets(from + count).slice(from)
  const file = join(dir, `${prefix}-${from}-${randomUUID()}.csv`)
  writeFileSync(file, ['id,subject,body,queue', ...tickets.map((t, i) => [`${prefix}-${from + i}`, t.subject, t.body, t.queue].map(quote).join(','))].join('\n') + '\n')
  await importCsv(db, await openCsv(file))
}
const n = (db: Db, sql: string): number => (db.prepare(sql).get() as { n: number }).n
const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

try {
  // 1. Initial pull of 100,000 tickets into an empty desktop.
  const url1 = await freshTeam()
  const TICKETS = 100_000
  const seed = new pg.Client({ connectionString: url1('lead1') })
  await seed.connect()
  const other = randomUUID()
  const texts = fixtureTickets(2000)
  for (let from = 0; from < TICKETS; from += 5000) {
    const ids: string[] = []
    const subjects: string[] = []
    const bodies: string[] = []
    const labels: string[] = []
    const hashes: string[] = []
    for (let i = from; i < from + 5000; i++) {
      const t = texts[i % texts.length]!
      ids.push(`P-${i}`)
      subjects.push(t.subject)
      bodies.push(`${t.body} #${i}`)
      labels.push(JSON.stringify([['queue', t.queue], ['priority', t.priority]]))
      hashes.push(createHash('sha256').update(`${t.subject}\n${t.body} #${i}`).digest('hex'))
    }
    await seed.query(
      `INSERT INTO triage.tickets (external_id, subject, body, labels, raw, content_hash, desktop)
       SELECT e, s, b, l::jsonb, '{}', h, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(e, s, b, l, h)`,
      [ids, subjects, bodies, labels, hashes, other]
    )
  }
  await seed.end()
  const empty = openDatabase(join(dir, 'empty.sqlite'))
  await joinTeam(empty, join(dir, 'empty.sqlite'), url1('agent1'))
  const t0 = performance.now()
  const pull = await syncOnce(empty, { dbPath: join(dir, 'empty.sqlite') })
  const pullSeconds = (performance.now() - t0) / 1000
  const pulledRows = n(empty, 'SELECT COUNT(*) AS n FROM tickets')
  const pulledLabels = n(empty, 'SELECT COUNT(*) AS n FROM labels')
  empty.close()

  // 2. Propagation of one decision A → B, both engines online with auto-sync.
  const url2 = await freshTeam()
  const engines: Engine[] = []
  const live = (name: string): Engine => {
    const e = createEngine({ dbPath: join(dir, `${name}.sqlite`), predictMissingAtStart: false, teamAutoSync: true })
    engines.push(e)
    return e
  }
  const a = live('live-a')
  await importExport(a.db, 'L', 0, 300)
  const b = live('live-b')
  await a.call('team.join', { url: url2('lead1') })
  await b.call('team.join', { url: url2('lead2') })
  const waitFor = async (done: () => boolean, ms = 60_000): Promise<void> => {
    for (const end = Date.now() + ms; !done(); await new Promise((r) => setTimeout(r, 2))) if (Date.now() > end) throw new Error('timed out')
  }
  await waitFor(() => n(b.db, 'SELECT COUNT(*) AS n FROM tickets') === 300)
  const latencies: number[] = []
  for (let i = 0; i < 25; i++) {
    const id = (a.db.prepare('SELECT id FROM tickets WHERE external_id = ?').get(`L-${i}`) as { id: number }).id
    const value = `Propagated ${i}`
    const started = performance.now()
    await a.call('review.decide', { ticketId: id, target: 'queue', label: value })
    await waitFor(() => b.db.prepare("SELECT 1 FROM labels l JOIN tickets t ON t.id = l.ticket_id WHERE t.external_id = ? AND l.current = 1 AND l.value = ?").get(`L-${i}`, value) !== undefined)
    latencies.push(performance.now() - started)
    await new Promise((r) => setTimeout(r, 100))
  }
  for (const e of engines) await e.close()

  // 3. Ten desktops at once: each imports 300 tickets of its own and 100 shared, leads decide 5 each, and
  //    all sync concurrently for three rounds, then once more; every desktop must end with every row.
  const url3 = await freshTeam()
  const DESKTOPS = 10
  const roles = ['lead1', 'lead2', 'agent1']
  const desks = await Promise.all(
    Array.from({ length: DESKTOPS }, async (_, d) => {
      const path = join(dir, `many-${d}.sqlite`)
      const db = openDatabase(path)
      await importExport(db, `D${d}`, 0, 300)
      await importExport(db, 'SHARED', 0, 100)
      const role = roles[d % roles.length]!
      await joinTeam(db, path, url3(role))
      return { db, path, role }
    })
  )
  const t3 = performance.now()
  let errors = 0
  for (let roundNo = 0; roundNo < 3; roundNo++) {
    await Promise.all(
      desks.map(async (d, i) => {
        if (roundNo === 1 && d.role !== 'agent1') {
          for (let k = 0; k < 5; k++) {
            const id = (d.db.prepare('SELECT id FROM tickets WHERE external_id = ?').get(`D${i}-${k}`) as { id: number }).id
            decide(d.db, { ticketId: id, target: 'queue', label: `Desk ${i}`, who: d.role })
          }
        }
        await syncOnce(d.db, { dbPath: d.path }).catch(() => errors++)
      })
    )
  }
  await Promise.all(desks.map((d) => syncOnce(d.db, { dbPath: d.path }).catch(() => errors++)))
  const concurrentSeconds = (performance.now() - t3) / 1000
  const leadDesks = desks.filter((d) => d.role !== 'agent1').length
  const expected = { tickets: DESKTOPS * 300 + 100, decisions: leadDesks * 5 }
  const check = new pg.Client({ connectionString: url3('lead1') })
  await check.connect()
  const server3 = {
    tickets: Number((await check.query('SELECT COUNT(*) AS n FROM triage.tickets')).rows[0].n),
    decisions: Number((await check.query('SELECT COUNT(*) AS n FROM triage.decisions')).rows[0].n)
  }
  await check.end()
  const counts = desks.map((d) => ({
    tickets: n(d.db, 'SELECT COUNT(*) AS n FROM tickets'),
    decisions: n(d.db, "SELECT COUNT(*) AS n FROM reviews WHERE action = 'correct'")
  }))
  for (const d of desks) d.db.close()
  const countsOk =
    server3.tickets === expected.tickets && server3.decisions === expected.decisions && counts.every((c) => c.tickets === expected.tickets && c.decisions === expected.decisions)

  console.log(
    JSON.stringify({
      bench: 'team',
      cores: availableParallelism(),
      initialPull: { tickets: pulledRows, labels: pulledLabels, reported: pull.byKind.pulled.tickets, seconds: Math.round(pullSeconds * 100) / 100, ticketsPerSec: Math.round(pulledRows / pullSeconds) },
      propagation: { decisions: latencies.length, p50Ms: Math.round(percentile(latencies, 50)), p95Ms: Math.round(percentile(latencies, 95)), maxMs: Math.round(Math.max(...latencies)) },
      concurrent: { desktops: DESKTOPS, rounds: 4, expected, server: server3, errors, countsOk, seconds: Math.round(concurrentSeconds * 100) / 100 }
    })
  )
} finally {
  server.destroy()
  rmSync(dir, { recursive: true, force: true })
}
