// A desktop joins a team in Settings → Team: a real PostgreSQL (a throwaway cluster, testPostgres.ts), a
// team initialised by its owner, and a lead's desktop (an engine in this process) that pushed twelve
// tickets and a decision. The user pastes the connection on an empty desktop of its own host; the status
// chip says online and what the round brought in, and the team's tickets are in the inbox. Then the same
// desktop joins as a second lead whose decision loses a conflict to the first lead's, and sees that. Skips
// where no PostgreSQL binaries are installed.
import { expect, test } from '@playwright/test'
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine, type Engine } from '../src/main/engine/api/engine.ts'
import { importCsv } from '../src/main/engine/ingest/importCsv.ts'
import { openCsv } from '../src/main/engine/ingest/csvSource.ts'
import { addMember, initTeam } from '../src/main/engine/team/teamAdmin.ts'
import { POSTGRES_SKIP, startPostgres, type TestPostgres } from '../src/main/engine/team/testPostgres.ts'
import { engineCall, startOwnHostWithoutModels, type OwnHost } from './harness/ownHost.ts'

test.skip(POSTGRES_SKIP !== undefined, POSTGRES_SKIP ?? '')
// The second test goes on from the first one's desktop (its tickets).
test.describe.configure({ mode: 'serial' })

const QUEUES = ['Billing', 'Returns', 'Shipping']
let server: TestPostgres
let own: OwnHost
let lead: Engine
let seedDir: string

test.beforeAll(async () => {
  test.setTimeout(120_000)
  server = await startPostgres()
  await initTeam(server.url('team_owner'))
  await addMember(server.url('team_owner'), 'lead1', 'lead')
  await addMember(server.url('team_owner'), 'lead2', 'lead')
  await addMember(server.url('team_owner'), 'agent1', 'agent')

  // The lead's desktop: twelve tickets and one decision, pushed to the team.
  seedDir = mkdtempSync(join(tmpdir(), 'triage-e2e-team-lead-'))
  const csv = join(seedDir, 'export.csv')
  const rows = Array.from({ length: 12 }, (_, i) => `TEAM-${i},Team ticket number ${i},The parcel ${i} needs help from the team,${QUEUES[i % 3]}`)
  writeFileSync(csv, ['id,subject,body,queue', ...rows].join('\n') + '\n')
  lead = createEngine({ dbPath: join(seedDir, 'lead.sqlite'), predictMissingAtStart: false })
  await importCsv(lead.db, await openCsv(csv))
  await lead.call('team.join', { url: server.url('lead1') })
  const id = (lead.db.prepare("SELECT id FROM tickets WHERE external_id = 'TEAM-4'").get() as { id: number }).id
  await lead.call('review.decide', { ticketId: id, target: 'queue', label: 'Shipping' })
  const round = await lead.call('team.sync', {})
  expect(round.byKind.pushed).toMatchObject({ tickets: 12, decisions: 1 })

  own = await startOwnHostWithoutModels('triage-e2e-team-')
})

test.afterAll(async () => {
  await own?.close()
  await lead?.close()
  server?.destroy()
  if (seedDir) rmSync(seedDir, { recursive: true, force: true })
})

test('join a team in Settings → Team: the chip says online and the team’s tickets are in the inbox', async ({ page }) => {
  await page.goto(own.url)
  await expect(page.getByRole('heading', { name: 'No tickets yet' })).toBeVisible()
  // Not in a team: no chip.
  await expect(page.getByTestId('team-chip')).toHaveCount(0)

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click()
  const team = page.getByRole('region', { name: 'Team' })
  const field = team.getByLabel('Connection URL')
  // The role's password travels in the URL; the cluster trusts loopback, so any password logs in.
  await field.fill(server.url('agent1').replace('agent1@', 'agent1:s3cret@'))
  await team.getByRole('button', { name: 'Join' }).click()
  await expect(team.getByRole('status').filter({ hasText: 'Joined as agent1 (agent)' })).toBeVisible()
  // Joined: the form (and the password in it) is gone; the connection shown has no password.
  await expect(field).toHaveCount(0)
  await expect(team.getByTestId('team-url')).not.toContainText('s3cret')
  await expect(team.getByTestId('team-role')).toContainText('agent1 (agent')

  const chip = page.getByTestId('team-chip')
  await expect(chip).toContainText('Team: online')
  await expect(chip).toContainText('12 tickets, 1 decision from the team')
  await expect(team.getByTestId('team-status')).toContainText('last round: 12 tickets, 1 decision from the team')

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Inbox', exact: true }).click()
  const grid = page.getByRole('grid', { name: 'Tickets' })
  await expect(page.getByText('12 tickets').first()).toBeVisible()
  await expect(grid).toContainText('Team ticket number')

  // Sync now, then leave: the tickets stay, the chip goes.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click()
  await team.getByRole('button', { name: 'Sync now' }).click()
  await expect(team.getByRole('status').filter({ hasText: 'Synced: 0 sent, 0 received' })).toBeVisible()
  await team.getByRole('button', { name: 'Leave team' }).click()
  await expect(team.getByRole('status').filter({ hasText: 'Left the team' })).toBeVisible()
  await expect(page.getByTestId('team-chip')).toHaveCount(0)
  await expect(page.getByText('12 tickets').first()).toBeVisible()
})

test('a lead whose decision lost a conflict sees it in the chip and in Settings → Team; the chip says offline while the database is down', async ({ page }) => {
  await page.goto(own.url)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click()
  const team = page.getByRole('region', { name: 'Team' })
  await team.getByLabel('Connection URL').fill(server.url('lead2'))
  await team.getByRole('button', { name: 'Join' }).click()
  await expect(team.getByRole('status').filter({ hasText: 'Joined as lead2 (lead)' })).toBeVisible()
  await expect(page.getByTestId('team-chip')).toContainText('Team: online')

  // This desktop (lead2) decides TEAM-5 first and its decision goes out by itself; lead1, who has not
  // pulled it, decides the same ticket afterwards: later in the team's order, lead1's decision wins.
  const local = new Database(join(own.dataDir, 'triage.sqlite'), { readonly: true })
  const ticketId = (local.prepare("SELECT id FROM tickets WHERE external_id = 'TEAM-5'").get() as { id: number }).id
  local.close()
  await engineCall(own.host, 'review.decide', { ticketId, target: 'queue', label: 'Billing' })
  await expect.poll(async () => (await server.admin("SELECT COUNT(*)::int AS n FROM triage.decisions WHERE author = 'lead2'")).rows[0].n).toBe(1)
  const leadTicket = (lead.db.prepare("SELECT id FROM tickets WHERE external_id = 'TEAM-5'").get() as { id: number }).id
  await lead.call('review.decide', { ticketId: leadTicket, target: 'queue', label: 'Returns' })
  expect((await lead.call('team.sync', {})).conflicts).toBe(1)

  // PostgreSQL notifies this desktop, its round pulls lead1's decision, and the chip says what happened.
  await expect(page.getByTestId('team-superseded')).toContainText('1 decision of yours was replaced')
  await expect(team.getByRole('list', { name: 'Replaced decisions' })).toContainText('TEAM-5 (queue): your "Billing" was replaced by "Returns" by lead1')

  // The database goes down: the chip says since when; back up, the next round brings the chip back online.
  server.stop()
  try {
    await team.getByRole('button', { name: 'Sync now' }).click()
    await expect(team.getByRole('alert')).toContainText('cannot be reached')
    await expect(page.getByTestId('team-chip')).toContainText('Team: offline since')
  } finally {
    server.start()
  }
  await team.getByRole('button', { name: 'Sync now' }).click()
  await expect(team.getByRole('status').filter({ hasText: 'Synced:' })).toBeVisible()
  await expect(page.getByTestId('team-chip')).toContainText('Team: online')
})
