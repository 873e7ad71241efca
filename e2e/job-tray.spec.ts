// The job tray through the real UI and engine: an import starts the index job that follows it; the tray
// in the window's frame shows it with what it is doing in words and one bar, and Cancel stops it in the
// engine (the tickets it had not reached keep no vector). Runs on its own host with no model installed,
// so the first index job embeds with the built-in featuriser: fixture tickets, no shared data needed.
// Then, where the real models are, the index job that follows installing one is shown and cancelled too.
import { expect, test } from '@playwright/test'
import Database from 'better-sqlite3'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { itServiceFixtureCsv } from '../src/main/engine/fixtureTickets.ts'
import { engineCall, startOwnHostWithoutModels, type OwnHost } from './harness/ownHost.ts'
import { NO_SHARED_MODELS, SHARED_MODELS_PRESENT } from './harness/sharedData.ts'

/** Enough tickets that indexing them with the built-in featuriser takes several seconds here. */
const TICKETS = 30_000

let own: OwnHost

// The second test indexes the first one's tickets with a newly installed model.
test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  own = await startOwnHostWithoutModels('triage-e2e-jobs-')
})
test.afterAll(async () => own?.close())

test('a running index job is in the tray with words and a bar, and Cancel stops it', async ({ page }) => {
  test.setTimeout(120_000)
  const csv = join(own.dataDir, 'tickets.csv')
  writeFileSync(csv, itServiceFixtureCsv(TICKETS, 7))
  await page.goto(own.url)
  await expect(page.getByRole('status').filter({ hasText: 'Engine: connected' })).toBeVisible()
  await expect(page.getByRole('region', { name: 'Job tray' })).toHaveCount(0)

  await engineCall(own.host, 'import.start', { path: csv })
  const tray = page.getByRole('region', { name: 'Job tray' })
  const indexing = tray.getByRole('listitem', { name: 'Indexing tickets' })
  // What it is doing, counted: "embedding tickets 1,280 / 30,000".
  await expect(indexing).toContainText(/embedding tickets [\d,]+ \/ 30,000/, { timeout: 60_000 })
  const bar = indexing.getByRole('progressbar', { name: 'Indexing tickets, whole job' })
  await expect(bar).toBeVisible()
  const before = Number(await bar.getAttribute('value'))
  expect(before).toBeGreaterThanOrEqual(0)
  expect(before).toBeLessThan(100)

  await indexing.getByRole('button', { name: 'Cancel' }).click()
  await expect(indexing).toHaveCount(0, { timeout: 30_000 })
  await expect(tray).toHaveCount(0)

  // Cancelled in the engine, not only hidden: it stopped before giving every ticket a vector.
  const db = new Database(join(own.dataDir, 'triage.sqlite'), { readonly: true })
  try {
    const n = (sql: string): number => (db.prepare(sql).get() as { n: number }).n
    expect(n('SELECT count(*) AS n FROM tickets')).toBe(TICKETS)
    expect(n('SELECT count(*) AS n FROM embeddings')).toBeLessThan(TICKETS)
  } finally {
    db.close()
  }
})

test('the index job after a model install is in the tray, and Cancel stops it', async ({ page }) => {
  test.skip(!SHARED_MODELS_PRESENT, NO_SHARED_MODELS)
  test.setTimeout(180_000)
  const models = resolve(process.env.TRIAGE_MODELS_DIR ?? resolve(import.meta.dirname, '../../shared/models'))
  await page.goto(own.url)
  await expect(page.getByRole('status').filter({ hasText: 'Engine: connected' })).toBeVisible()
  // The tickets of the first test are there; the new model needs a vector for each of them.
  await engineCall(own.host, 'model.install', { path: join(models, 'all-minilm-l6-v2-int8') })
  const tray = page.getByRole('region', { name: 'Job tray' })
  const indexing = tray.getByRole('listitem', { name: 'Indexing tickets' })
  await expect(indexing).toContainText(/embedding tickets [\d,]+ \/ 30,000/, { timeout: 120_000 })
  await expect(indexing.getByRole('progressbar', { name: 'Indexing tickets, whole job' })).toBeVisible()
  await indexing.getByRole('button', { name: 'Cancel' }).click()
  await expect(indexing).toHaveCount(0, { timeout: 60_000 })
  const db = new Database(join(own.dataDir, 'triage.sqlite'), { readonly: true })
  try {
    const vectors = (db.prepare("SELECT count(*) AS n FROM embeddings WHERE embedder = 'all-minilm-l6-v2-int8'").get() as { n: number }).n
    expect(vectors).toBeLessThan(TICKETS)
  } finally {
    db.close()
  }
})
