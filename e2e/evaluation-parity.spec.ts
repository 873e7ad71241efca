// The Evaluation page and `triage eval` agree to the last digit: train a Topic_group model on the whole
// it-service training split (38,270 tickets) through the UI, then run the CLI against the same database
// file and compare the page's unrounded headline figures (data-value) with the CLI's JSON.
// It runs its own browser host on its own database, with no embedding models in reach: the index job
// after a 38k import would otherwise embed every ticket with MiniLM (minutes on 2 cores) while the
// model trains, and this spec is about parity, not about the embedder.
import { expect, test, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { startOwnHostWithoutModels, type OwnHost } from './harness/ownHost.ts'
import { ImportScreen } from './pages/ImportScreen.ts'
import { NO_SHARED_DATASETS, SHARED_DATASETS_PRESENT } from './harness/sharedData.ts'

test.skip(!SHARED_DATASETS_PRESENT, NO_SHARED_DATASETS)

const ROOT = resolve(import.meta.dirname, '..')
const TRAIN = resolve(ROOT, '../shared/datasets/it-service-tickets/split/train.csv')
const TARGET = 'Topic_group'

let own: OwnHost
let dataDir: string

function nav(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true })
}

interface CliReport {
  accuracy: number
  macro_f1: number
  weighted_f1: number
  ece: number
  top3_accuracy: number
  n_test: number
  model_version: number
  description: string
  coverage_at_precision: Record<string, number>
  confusion: { labels: string[]; matrix: number[][] }
}

function cliReport(): CliReport {
  const out = execFileSync(process.execPath, [join(ROOT, 'bin/triage.mjs'), 'eval', '--db', join(dataDir, 'triage.sqlite'), '--target', TARGET, '--json'], {
    cwd: ROOT,
    encoding: 'utf8'
  })
  return JSON.parse(out) as CliReport
}

test.beforeAll(async () => {
  own = await startOwnHostWithoutModels('triage-e2e-parity-')
  dataDir = own.dataDir
})
test.afterAll(() => own?.close())

test('UI and CLI report the same figures for a model trained on the it-service split', async ({ page }) => {
  // Training 38k tickets takes minutes on a 2-core machine.
  test.setTimeout(900_000)
  await page.goto(own.url)
  await expect(page.getByRole('status').filter({ hasText: 'Engine: connected' })).toBeVisible()

  const importer = new ImportScreen(page)
  await importer.open()
  await importer.chooseFile(TRAIN)
  const counts = await importer.importAndWait()
  expect(counts).toMatchObject({ read: 38270, imported: 38270, rejected: 0 })

  await nav(page, 'Models').click()
  const card = page.getByRole('region', { name: `Model for ${TARGET}` })
  await card.getByLabel(`Reads ${TARGET} tickets with`).selectOption('none')
  await card.getByRole('button', { name: `Train ${TARGET}` }).click()
  const result = page.getByRole('region', { name: `Training result for ${TARGET}` })
  await expect(result).toBeVisible({ timeout: 840_000 })
  await expect(card.getByRole('table', { name: `${TARGET} model versions` })).toContainText('Active')

  const cli = cliReport()
  await nav(page, 'Evaluation').click()
  await expect(page.getByLabel('Evaluation target')).toHaveValue(TARGET)
  await expect(page.getByTestId('eval-source')).toContainText(cli.description)
  await expect(page.getByTestId('eval-source')).toContainText(`${cli.n_test.toLocaleString('en-US')} held-out tickets`)
  // Every digit: the cards keep the unrounded figure next to the one they show.
  const figure = (name: string) => page.getByTestId(`headline-${name}`)
  await expect(figure('accuracy')).toHaveAttribute('data-value', String(cli.accuracy))
  await expect(figure('macro-f1')).toHaveAttribute('data-value', String(cli.macro_f1))
  await expect(figure('weighted-f1')).toHaveAttribute('data-value', String(cli.weighted_f1))
  await expect(figure('calibration-error-ece')).toHaveAttribute('data-value', String(cli.ece))
  await expect(figure('top-3-accuracy')).toHaveAttribute('data-value', String(cli.top3_accuracy))
  await expect(figure('coverage-at-90-precision')).toHaveAttribute('data-value', String(cli.coverage_at_precision['0.90']))
  await expect(figure('accuracy')).toHaveText(`${(cli.accuracy * 100).toFixed(1)}%`)
  // The model is worth comparing at all: the split's TF-IDF baseline is about 0.84.
  expect(cli.accuracy).toBeGreaterThan(0.8)

  // A confusion cell lists its tickets, as many as the CLI's matrix counts.
  let cell = { truth: '', predicted: '', count: 0 }
  cli.confusion.matrix.forEach((row, t) =>
    row.forEach((count, p) => {
      if (t !== p && count > cell.count) cell = { truth: cli.confusion.labels[t] ?? '', predicted: cli.confusion.labels[p] ?? '', count }
    })
  )
  const matrix = page.getByRole('table', { name: 'Confusion matrix' })
  await matrix.getByRole('button', { name: `${cell.truth} predicted as ${cell.predicted}: ${cell.count}`, exact: true }).click()
  const listed = page.getByRole('complementary', { name: `Tickets recorded as ${cell.truth}, predicted as ${cell.predicted}` })
  await expect(listed.getByRole('list', { name: 'Tickets in the cell' }).getByRole('listitem')).toHaveCount(Math.min(cell.count, 100))

  await page.setViewportSize({ width: 1400, height: 3000 })
  await page.screenshot({ path: resolve(ROOT, 'test-results/evaluation-it-service.png') })
})
