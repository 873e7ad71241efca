// "Update model" and the tuning curve through the real UI and engine: import a labelled export, train a
// queue model, decide a few tickets, update the model from the Models page, and read what the grid search
// chose. Its own browser host on its own database, like the evaluation spec.
import { expect, test } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Method, Params, Result } from '../src/shared/contract.ts'
import { startBrowserHost, type BrowserHost } from '../src/main/browserHost/server.ts'
import { HOST_TOKEN } from './harness/hostAddress.ts'
import { engineCall } from './harness/ownHost.ts'
import { ImportScreen } from './pages/ImportScreen.ts'
import { NO_SHARED_DATASETS, SHARED_DATASETS_PRESENT } from './harness/sharedData.ts'

test.skip(!SHARED_DATASETS_PRESENT, NO_SHARED_DATASETS)

const ROOT = resolve(import.meta.dirname, '..')
const DATASET = resolve(ROOT, '../shared/datasets/bueck-multilang-4k/split/test.csv')

let host: BrowserHost
let dataDir: string
const engine = <M extends Method>(method: M, params: Params<M>): Promise<Result<M>> => engineCall(host, method, params)

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'triage-e2e-update-'))
  host = await startBrowserHost({ dbPath: join(dataDir, 'triage.sqlite'), port: 0, token: HOST_TOKEN, repoRoot: ROOT, rendererDir: join(ROOT, 'out/renderer') })
})

test.afterAll(async () => {
  await host?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

test('update a model after review decisions, and see how it was tuned', async ({ page }) => {
  test.setTimeout(300_000)
  await page.goto(new URL(`/?token=${HOST_TOKEN}`, host.url).href)
  await expect(page.getByRole('status').filter({ hasText: 'Engine: connected' })).toBeVisible()
  const importer = new ImportScreen(page)
  await importer.open()
  await importer.chooseFile(DATASET)
  await importer.importAndWait()

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models', exact: true }).click()
  const card = page.getByRole('region', { name: 'Model for queue' })
  // Nothing to update before a model exists.
  await expect(card.getByRole('button', { name: 'Update model' })).toBeDisabled()
  await card.getByLabel('Reads queue tickets with').selectOption('none')
  await card.getByRole('button', { name: 'Train queue' }).click()
  await expect(page.getByRole('region', { name: 'Training result for queue' })).toBeVisible({ timeout: 200_000 })
  const v1 = (await engine('model.list', { target: 'queue' }))[0]!
  if (!v1.active) await engine('model.activate', { modelId: v1.id })

  // The tuning: the chosen l2 and the validation curve of the grid search.
  const tuned = card.getByRole('group', { name: /How queue v\d+ was tuned/ })
  await tuned.locator('summary').click()
  await expect(tuned).toContainText(`l2 `)
  const curve = tuned.getByRole('table', { name: /Validation curve of queue v\d+/ })
  await expect(curve.getByRole('row')).toHaveCount((v1.selection?.curve.length ?? 0) + 1)
  await expect(curve).toContainText('✓ lowest log-loss')

  // A lead's decisions, then Update model.
  const queue = await engine('review.queue', { target: 'queue', limit: 5 })
  const labels = v1.classes
  for (const item of queue.items) await engine('review.decide', { ticketId: item.ticketId, target: 'queue', label: labels[0]! })
  await card.getByRole('button', { name: 'Update model' }).click()
  const result = page.getByRole('region', { name: 'Training result for queue' })
  await expect(result).toContainText(`Updated from v${v1.version}`, { timeout: 120_000 })
  await expect(result).toContainText(`Previous v${v1.version} (same data)`)
  await expect(card.getByRole('table', { name: 'queue model versions' })).toContainText(`v${v1.version + 1}`)

  // The automatic update setting.
  const setting = page.getByRole('group', { name: 'Automatic model updates' })
  await setting.getByLabel('Decisions between automatic updates').fill('25')
  await setting.getByRole('button', { name: 'Save' }).click()
  await expect(setting).toContainText('after every 25 review decisions')
  expect((await engine('settings.get', {})).autoUpdateAfter).toBe(25)
})
