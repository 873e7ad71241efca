// The Evaluation page through the real UI and engine: import a labelled export, train a queue model with
// the built-in featuriser, then check the page's figures against the engine's own eval.report for the
// same model, open the tickets behind a confusion cell, try the what-if threshold and save the report.
// It runs its own browser host on its own database: the shared harness host is for specs that start
// from an empty store (import-inbox expects "No tickets yet"), and training wants a known import.
import { expect, test, type Page } from '@playwright/test'
import { parse } from 'csv-parse/sync'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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
const MORE = resolve(ROOT, '../shared/datasets/bueck-multilang-4k/split/train.csv')

let host: BrowserHost
let dataDir: string

const engine = <M extends Method>(method: M, params: Params<M>): Promise<Result<M>> => engineCall(host, method, params)

function nav(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true })
}

function csvLine(fields: readonly string[]): string {
  return fields.map((f) => `"${f.replaceAll('"', '""')}"`).join(',')
}

/** Tickets with created dates over three weeks (25 a week: over the 20 a week needs to be compared). */
function datedExport(path: string): number {
  const [header, ...rows] = parse(readFileSync(MORE), { bom: true, relax_column_count: true }) as string[][]
  const at = (name: string) => header?.indexOf(name) ?? -1
  const picked = rows.slice(0, 75)
  const lines = [csvLine(['id', 'subject', 'body', 'queue', 'created'])]
  picked.forEach((r, i) => {
    const day = new Date(Date.UTC(2026, 9, 5 + Math.floor(i / 25) * 7 + (i % 5)))
    lines.push(csvLine([`D-${i}`, r[at('subject')] ?? '', r[at('body')] ?? '', r[at('queue')] ?? '', day.toISOString().slice(0, 10)]))
  })
  writeFileSync(path, lines.join('\n'))
  return picked.length
}

/** The digits the page shows for a share (modelMetrics' percent). */
function shown(share: number): string {
  return `${(share * 100).toFixed(1)}%`
}

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'triage-e2e-eval-'))
  // The harness's webServer has already built out/ (buildIfStale) before any spec runs.
  host = await startBrowserHost({ dbPath: join(dataDir, 'triage.sqlite'), port: 0, token: HOST_TOKEN, repoRoot: ROOT, rendererDir: join(ROOT, 'out/renderer') })
})

test.afterAll(async () => {
  await host?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

test('evaluate a trained queue model: figures match the engine, cells list their tickets, the report saves', async ({ page }, testInfo) => {
  test.setTimeout(240_000)
  await page.goto(new URL(`/?token=${HOST_TOKEN}`, host.url).href)
  await expect(page.getByRole('status').filter({ hasText: 'Engine: connected' })).toBeVisible()

  const importer = new ImportScreen(page)
  await importer.open()
  await importer.chooseFile(DATASET)
  const counts = await importer.importAndWait()
  expect(counts.imported).toBeGreaterThan(700)

  // Before any model the page says what to do.
  await nav(page, 'Evaluation').click()
  await expect(page.getByText('Train a model on the Models page')).toBeVisible()

  await nav(page, 'Models').click()
  const card = page.getByRole('region', { name: 'Model for queue' })
  await card.getByLabel('Reads queue tickets with').selectOption('none')
  await card.getByRole('button', { name: 'Train queue' }).click()
  const result = page.getByRole('region', { name: 'Training result for queue' })
  await expect(result).toBeVisible({ timeout: 200_000 })
  const activate = result.getByRole('button', { name: /^Activate v\d+$/ })
  if (await activate.isVisible()) await activate.click()
  await expect(card.getByRole('table', { name: 'queue model versions' })).toContainText('Active')

  const report = await engine('eval.report', { target: 'queue', source: 'holdout' })
  if (!report) throw new Error('eval.report returned null right after training')

  await nav(page, 'Evaluation').click()
  await expect(page.getByLabel('Evaluation target')).toHaveValue('queue')
  await expect(page.getByTestId('eval-source')).toContainText(report.description)
  // The count is said once, in the description.
  await expect(page.getByTestId('eval-source')).toHaveText(`Shown: held-out split of the model — ${report.description}.`)
  expect(report.description).toContain(`${report.n.toLocaleString('en-US')} held-out tickets`)
  await expect(page.getByTestId('headline-accuracy')).toHaveText(shown(report.accuracy))
  await expect(page.getByTestId('headline-macro-f1')).toHaveText(report.macroF1.toFixed(3))

  // The per-queue table sorts by a header click.
  const perQueue = page.getByRole('table', { name: 'Per-queue figures' })
  await expect(perQueue.getByRole('row')).toHaveCount(report.perClass.length + 1)
  await perQueue.getByRole('button', { name: 'Recall' }).click()
  await expect(perQueue.getByRole('columnheader', { name: 'Recall' })).toHaveAttribute('aria-sort', 'descending')

  // The biggest mistake in the matrix lists its tickets; one of them opens.
  let cell = { truth: '', predicted: '', count: 0 }
  report.confusion.forEach((row, t) =>
    row.forEach((count, p) => {
      if (t !== p && count > cell.count) cell = { truth: report.classes[t] ?? '', predicted: report.classes[p] ?? '', count }
    })
  )
  expect(cell.count).toBeGreaterThan(0)
  const matrix = page.getByRole('table', { name: 'Confusion matrix' })
  await matrix.getByRole('button', { name: `${cell.truth} predicted as ${cell.predicted}: ${cell.count}`, exact: true }).click()
  const listed = page.getByRole('complementary', { name: `Tickets recorded as ${cell.truth}, predicted as ${cell.predicted}` })
  const items = listed.getByRole('list', { name: 'Tickets in the cell' }).getByRole('listitem')
  await expect(items).toHaveCount(Math.min(cell.count, 100))
  await items.first().getByRole('button').click()
  const opened = listed.getByRole('region', { name: 'Opened ticket' })
  await expect(opened).toContainText(`Recorded queue${cell.truth}`)

  // The what-if threshold reads another point off the curve.
  const whatIf = page.getByTestId('what-if')
  await expect(whatIf).toContainText(`At ${report.threshold.toFixed(2)}:`)
  const other = report.threshold > 0.6 ? 0.3 : 0.9
  await page.getByLabel('What-if threshold').fill(String(other))
  const point = [...report.curve].reverse().find((p) => p.threshold <= other + 1e-9)
  if (!point) throw new Error('no curve point below the what-if threshold')
  await expect(whatIf).toContainText(`At ${other.toFixed(2)}: ${shown(point.coverage)} routed without review at ${shown(point.precision)} precision`)
  // Dragging along the curve moves the what-if point to where the pointer is, and reads that threshold.
  const plot = page.getByRole('figure', { name: 'Precision–coverage curve' }).locator('svg.recharts-surface')
  const box = await plot.boundingBox()
  if (!box) throw new Error('no precision–coverage chart')
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 8 })
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 8 })
  await page.mouse.up()
  await expect(whatIf).not.toContainText(`At ${other.toFixed(2)}:`)
  const dragged = Number(/^At (\d\.\d\d):/.exec((await whatIf.textContent()) ?? '')?.[1])
  const draggedPoint = [...report.curve].reverse().find((p) => p.threshold <= dragged + 1e-9)
  if (!draggedPoint) throw new Error(`no curve point for the dragged threshold ${dragged}`)
  await expect(whatIf).toContainText(`At ${dragged.toFixed(2)}: ${shown(draggedPoint.coverage)} routed without review at ${shown(draggedPoint.precision)} precision`)
  await expect(page.getByLabel('What-if threshold')).toHaveValue(String(dragged))

  // The page scrolls inside the app frame, so a tall viewport is what gets all of it into the picture.
  await page.setViewportSize({ width: 1400, height: 3000 })
  await page.screenshot({ path: resolve(ROOT, 'test-results/evaluation.png') })
  await page.setViewportSize({ width: 1280, height: 720 })

  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Save report' }).click()
  const saved = await download
  expect(saved.suggestedFilename()).toMatch(/^evaluation-queue-v\d+-holdout-.*\.html$/)
  const html = readFileSync(await saved.path(), 'utf8')
  expect(html).toContain(`<td>Accuracy</td><td>${shown(report.accuracy)}</td>`)
  expect(html).toContain('<svg')
  expect(html).not.toMatch(/<script|<link /)
  // Review decisions as the source: none yet, and the page says what to do instead of showing zeros.
  await page.getByLabel('Evaluation source').selectOption('reviews')
  await expect(page.getByText('No reviews yet. Review tickets on the Review page')).toBeVisible()
  await expect(page.getByTestId('headline-accuracy')).toHaveCount(0)
  testInfo.attachments.push({ name: 'evaluation-report.html', contentType: 'text/html', body: Buffer.from(html) })
})

test('drift by week, review accuracy and the predictions export', async ({ page }, testInfo) => {
  test.setTimeout(150_000)
  // Dated tickets arrive after training; their predictions follow the import as an index job.
  const dated = testInfo.outputPath('dated.csv')
  datedExport(dated)
  await engine('import.start', { path: dated })
  await expect.poll(async () => (await engine('eval.drift', { target: 'queue' }))?.periods.filter((p) => p.psi !== null).length ?? 0, { timeout: 90_000 }).toBe(3)
  const drift = await engine('eval.drift', { target: 'queue' })
  const latest = drift?.periods.at(-1)
  if (!latest || latest.psi === null) throw new Error('no compared week')

  // Two decisions: one kept, one changed.
  const first = await engine('tickets.page', { limit: 2 })
  const [a, b] = first.rows
  if (!a || !b) throw new Error('no tickets')
  await engine('review.decide', { ticketId: a.id, target: 'queue' })
  const other = b.predictions['queue']?.label === 'Billing and Payments' ? 'Technical Support' : 'Billing and Payments'
  await engine('review.decide', { ticketId: b.id, target: 'queue', label: other })
  const reviewed = await engine('eval.report', { target: 'queue', source: 'reviews' })
  if (!reviewed) throw new Error('no reviews report')

  await page.goto(new URL(`/?token=${HOST_TOKEN}`, host.url).href)
  await nav(page, 'Evaluation').click()
  await expect(page.getByTestId('drift-latest')).toHaveText(`Latest compared week (${latest.start}): PSI ${latest.psi.toFixed(3)}, ${latest.band === 'stable' ? 'stable' : `${latest.band} drift`}.`)
  await expect(page.getByRole('figure', { name: 'Drift by week' }).locator('svg.recharts-surface')).toBeVisible()
  // Two reviews are too few for a weekly accuracy: the page says so instead of drawing a 0 % or 100 % bar.
  await expect(page.getByTestId('review-accuracy-too-few')).toHaveText(/^2 reviewed so far: accuracy by week is shown once a week has 20 reviews/)
  await expect(page.getByRole('figure', { name: 'Review accuracy by week' })).toHaveCount(0)
  // Hovering a week shows its numbers, the JS distance among them.
  const driftFigure = page.getByRole('figure', { name: 'Drift by week' })
  await driftFigure.locator('.recharts-line-dots circle').last().hover()
  await expect(driftFigure.locator('.eval-tooltip')).toContainText(`JS distance ${latest.jsDistance?.toFixed(3)}`)
  await page.getByRole('region', { name: 'Over time' }).screenshot({ path: testInfo.outputPath('over-time.png') })

  await page.getByLabel('Evaluation source').selectOption('reviews')
  await expect(page.getByTestId('eval-source')).toContainText(`${reviewed.n} tickets reviewed by leads`)
  await expect(page.getByTestId('headline-accuracy')).toHaveText(shown(reviewed.accuracy))

  const total = (await engine('tickets.page', { limit: 1 })).total
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export predictions CSV' }).click()
  const csv = readFileSync(await (await download).path(), 'utf8').trimEnd().split('\r\n')
  expect(csv[0]).toBe('id,external_id,recorded_label,predicted,confidence,needs_review')
  expect(csv).toHaveLength(total + 1)
  await expect(page.getByRole('status').filter({ hasText: `Exported ${total} tickets.` })).toBeVisible()
})

test('two versions side by side, each with its own held-out figures', async ({ page }) => {
  test.setTimeout(200_000)
  const before = await engine('model.list', { target: 'queue' })
  await engine('model.train', { target: 'queue', embedder: 'none' })
  await expect.poll(async () => (await engine('model.list', { target: 'queue' })).length, { timeout: 180_000, intervals: [2_000] }).toBe(before.length + 1)
  const versions = [...(await engine('model.list', { target: 'queue' }))].sort((x, y) => y.version - x.version)
  const [newer, older] = versions
  if (!newer || !older) throw new Error('expected two versions')
  const newerReport = await engine('eval.report', { target: 'queue', source: 'holdout', modelId: newer.id })
  const olderReport = await engine('eval.report', { target: 'queue', source: 'holdout', modelId: older.id })

  await page.goto(new URL(`/?token=${HOST_TOKEN}`, host.url).href)
  await nav(page, 'Evaluation').click()
  const compare = page.getByRole('region', { name: 'Compare versions' })
  await compare.getByLabel('Version A').selectOption(String(newer.id))
  await compare.getByLabel('Version B').selectOption(String(older.id))
  const table = compare.getByRole('table', { name: 'Model comparison' })
  await expect(table.getByRole('columnheader')).toHaveText(['Figure', `v${newer.version}`, `v${older.version}`])
  await expect(table.getByRole('row', { name: /^Accuracy/ }).getByRole('cell')).toHaveText([shown(newerReport?.accuracy ?? NaN), shown(olderReport?.accuracy ?? NaN)])
})
