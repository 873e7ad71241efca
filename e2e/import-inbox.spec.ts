// The real UI against the real engine through the browser host: import a dataset, check what the
// summary says against the file itself, then search, sort, filter and open tickets in the inbox.
import { expect, test } from '@playwright/test'
import { parse } from 'csv-parse/sync'
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { HOST_TOKEN } from './harness/hostAddress.ts'
import { ImportScreen } from './pages/ImportScreen.ts'
import { NO_SHARED_DATASETS, SHARED_DATASETS_PRESENT } from './harness/sharedData.ts'


const ROOT = resolve(import.meta.dirname, '..')
const DATASET = resolve(ROOT, '../shared/datasets/bueck-multilang-4k/split/test.csv')

function csvRecordCount(path: string): number {
  return (parse(readFileSync(path), { bom: true, relax_column_count: true }) as unknown[]).length - 1
}

test.describe.configure({ mode: 'serial' })

test('refuses a page without the token', async ({ page }) => {
  const response = await page.goto('/')
  expect(response?.status()).toBe(401)
})

test('first run: import a helpdesk export and work the inbox', async ({ page }) => {
  test.skip(!SHARED_DATASETS_PRESENT, NO_SHARED_DATASETS)
  await page.goto(`/?token=${HOST_TOKEN}`)
  // The token is traded for a cookie and leaves the address bar.
  expect(page.url()).not.toContain('token=')
  await expect(page.getByRole('status').filter({ hasText: 'Engine: connected' })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'No tickets yet' })).toBeVisible()
  await page.getByRole('button', { name: 'Import tickets' }).click()

  const importer = new ImportScreen(page)
  const mapping = await importer.chooseFile(DATASET)
  await expect(mapping.getByRole('table', { name: 'First rows of the file' })).toContainText('Surface Pro 7')
  // Auto-mapping preselects the obvious columns and label targets.
  await expect(mapping.getByLabel('Subject', { exact: true })).toHaveValue('0')
  await expect(mapping.getByLabel('Body', { exact: true })).toHaveValue('1')
  await expect(mapping.getByRole('checkbox', { name: 'queue' })).toBeChecked()

  const counts = await importer.importAndWait()
  const records = csvRecordCount(DATASET)
  expect(counts.read).toBe(records)
  expect(counts.imported + counts.updated + counts.duplicate + counts.rejected).toBe(counts.read)
  expect(counts.imported).toBeGreaterThan(700)
  await expect(page.getByRole('table', { name: 'Past imports' })).toContainText('test.csv')

  await page.getByRole('button', { name: 'Open the inbox' }).click()
  const grid = page.getByRole('grid', { name: 'Tickets' })
  await expect(page.getByText(`${counts.imported.toLocaleString('en-US')} tickets`).first()).toBeVisible()
  await expect(grid.getByRole('row').nth(1)).not.toContainText('Loading…')

  // Sorting is done by the engine: the header says so and the first subject changes to an early one.
  await grid.getByRole('button', { name: 'Subject' }).click()
  await expect(grid.getByRole('columnheader', { name: 'Subject' })).toHaveAttribute('aria-sort', 'ascending')
  // The sorted page has loaded before searching, so the count below changes only because of the search.
  await expect(page.locator('.result-count')).toHaveText(`${counts.imported.toLocaleString('en-US')} tickets`)

  // `/` focuses search; a full-text query narrows the list.
  await page.locator('body').press('/')
  await expect(page.getByRole('searchbox', { name: 'Search tickets' })).toBeFocused()
  // The whole word at once: typed letter by letter, each prefix is its own query and the count passes
  // through their results (and the engine may be busy embedding the import for similar tickets).
  await page.keyboard.insertText('printer')
  const resultCount = page.locator('.result-count')
  const shown = async (): Promise<number> => Number((await resultCount.innerText()).replace(/\D/g, ''))
  await expect(resultCount).not.toHaveText(`${counts.imported.toLocaleString('en-US')} tickets`, { timeout: 20_000 })
  await expect.poll(shown, { timeout: 20_000 }).toBeGreaterThan(0)
  const matches = await shown()
  expect(matches).toBeGreaterThan(0)
  expect(matches).toBeLessThan(counts.imported)

  // Keyboard: move into the list, ↓ selects the first row, Enter opens it.
  await page.getByLabel('Ticket list (use arrow keys, Enter opens)').focus()
  await page.keyboard.press('ArrowDown')
  await expect(grid.locator('tr[aria-selected="true"]')).toHaveCount(1)
  await page.keyboard.press('Enter')
  const detail = page.getByRole('complementary', { name: 'Ticket detail' })
  await expect(detail.getByRole('region', { name: 'Body' })).toBeVisible()
  await expect(detail).toContainText(/print/i)
  // The raw source record is collapsed below the similar tickets; one click shows every column.
  const raw = detail.getByRole('region', { name: 'Raw source fields' })
  await expect(raw.getByText('queue', { exact: true })).toBeHidden()
  await raw.getByText(/Raw source fields/).click()
  await expect(raw.getByText('queue', { exact: true })).toBeVisible()
  await expect(raw.getByText('answer', { exact: true })).toBeVisible()
  await expect(detail.getByRole('region', { name: 'Label history' })).toContainText('import')

  // Filter by a label value from tickets.columns.
  await page.getByRole('searchbox', { name: 'Search tickets' }).fill('')
  await page.getByRole('searchbox', { name: 'Search tickets' }).press('Enter')
  const queueFilter = page.getByLabel('Filter by queue')
  await queueFilter.selectOption('Billing and Payments')
  await expect(resultCount).not.toHaveText(`${counts.imported.toLocaleString('en-US')} tickets`)
  await grid.getByRole('row').nth(1).click()
  await expect(detail.locator('dl.fields')).toContainText('Billing and Payments')
})

test('re-import is idempotent and rejected rows are listed with line and reason', async ({ page }, testInfo) => {
  test.skip(!SHARED_DATASETS_PRESENT, NO_SHARED_DATASETS)
  await page.goto(`/?token=${HOST_TOKEN}`)
  const importer = new ImportScreen(page)

  await importer.open()
  await importer.chooseFile(DATASET)
  const again = await importer.importAndWait()
  expect(again.read).toBe(csvRecordCount(DATASET))
  expect(again.imported).toBe(0)

  await page.getByRole('button', { name: 'Import another file' }).click()
  const broken = testInfo.outputPath('broken.csv')
  writeFileSync(
    broken,
    ['id,subject,body,queue', 'T-1,Printer jams,The office printer jams on every page,Hardware', 'T-2,,,Hardware', 'T-3,Only two', 'T-4,VPN down,Cannot reach the VPN since this morning,Network', ''].join('\n')
  )
  await importer.chooseFile(broken)
  const counts = await importer.importAndWait()
  expect(counts.read).toBe(4)
  expect(counts.rejected).toBe(2)
  const rejected = page.getByRole('table', { name: 'Rejected rows' })
  await expect(rejected.getByRole('row')).toHaveCount(3)
  await expect(rejected).toContainText('no text')
  await expect(rejected).toContainText('T-3,Only two')
})

test('a long import shows progress and can be cancelled, keeping the rows before it', async ({ page }, testInfo) => {
  test.skip(!SHARED_DATASETS_PRESENT, NO_SHARED_DATASETS)
  const big = testInfo.outputPath('big-export.csv')
  const lines = ['id,subject,body,queue']
  for (let i = 0; i < 60_000; i++) {
    lines.push(`C-${i},Laptop ${i} will not boot,The laptop shows a black screen after the update number ${i} and the fan keeps spinning,Hardware`)
  }
  writeFileSync(big, lines.join('\n'))

  await page.goto(`/?token=${HOST_TOKEN}`)
  const importer = new ImportScreen(page)
  await importer.open()
  await importer.chooseFile(big)
  await page.getByRole('button', { name: 'Import', exact: true }).last().click()
  const progress = page.getByRole('region', { name: 'Import progress' })
  await expect(progress.getByRole('status')).toContainText(/[1-9][\d,]* rows · [\d,]+ rows\/s · [\d.]+%/)
  await progress.getByRole('button', { name: 'Cancel' }).click()

  const summary = page.getByRole('region', { name: 'Import summary' })
  await expect(summary.getByRole('heading')).toContainText('Import cancelled')
  const read = Number((await summary.getByTestId('count-read').innerText()).replaceAll(',', ''))
  const imported = Number((await summary.getByTestId('count-imported').innerText()).replaceAll(',', ''))
  expect(imported).toBeGreaterThan(0)
  expect(read).toBeLessThan(60_000)
  await expect(page.getByRole('table', { name: 'Past imports' }).getByRole('row', { name: /big-export\.csv/ })).toContainText('cancelled')
})
