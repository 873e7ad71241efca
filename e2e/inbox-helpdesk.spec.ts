// The inbox with a body-only export (like it-service: no subject, no id, no date, status or priority):
// rows get a title from the body instead of "(no subject)", empty columns stay hidden, a resized column
// keeps its width after a reload, and the detail panel at 1280×720 keeps a readable heading, shows
// similar tickets in view with a "% similar" label and names a duplicate by the id the user sees.
// It runs its own browser host on its own database, so no other spec's tickets fill these columns.
import { expect, test, type Locator, type Page } from '@playwright/test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startBrowserHost, type BrowserHost } from '../src/main/browserHost/server.ts'
import { HOST_TOKEN } from './harness/hostAddress.ts'
import { ImportScreen } from './pages/ImportScreen.ts'

const ROOT = resolve(import.meta.dirname, '..')

// Long enough that a derived title is cut; the two "Outlook" rows are near-duplicates (the second adds
// one word), so indexing after the import links the later one to the earlier.
const BODIES = [
  ['outlook keeps asking for my password after the windows update this morning and will not sync any mail at all', 'Access'],
  ['outlook keeps asking for my password after the windows update this morning and will not sync any mail at all please', 'Access'],
  ['please reset the password of my external partner account it expired yesterday and the vendor portal rejects it', 'Access'],
  ['the printer on the third floor jams on every second page and prints grey stripes across the whole sheet since monday', 'Hardware'],
  ['new starter next week needs a laptop docking station two monitors and a headset delivered to the desk by friday', 'Hardware'],
  ['the laptop battery drains within an hour and the fan is loud even when nothing is running please replace it', 'Hardware'],
  ['requesting access to the finance shared drive for the quarterly report my manager has approved the request already', 'Access'],
  ['vpn disconnects every ten minutes when working from home and teams calls drop with it so meetings are impossible', 'Network'],
  ['the wifi in meeting room b is very slow and keeps dropping the connection during video calls with customers', 'Network'],
  ['purchase order for twenty keyboards and mice for the new call centre team please approve the attached quote', 'Purchase']
] as const

let host: BrowserHost | undefined
let dataDir: string | undefined

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'triage-e2e-helpdesk-'))
  // The harness's webServer has already built out/ (buildIfStale) before any spec runs.
  host = await startBrowserHost({ dbPath: join(dataDir, 'triage.sqlite'), port: 0, token: HOST_TOKEN, repoRoot: ROOT, rendererDir: join(ROOT, 'out/renderer') })
})

test.afterAll(async () => {
  await host?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

function home(): string {
  if (!host) throw new Error('no browser host for the inbox specs')
  return new URL(`/?token=${HOST_TOKEN}`, host.url).href
}

/** The grid's header names, in order. */
async function headers(grid: Locator): Promise<string[]> {
  return (await grid.getByRole('columnheader').allInnerTexts()).map((t) => t.replace(/[▲▼]/g, '').trim())
}

async function columnWidth(page: Page, name: string): Promise<number> {
  const box = await page.getByRole('grid', { name: 'Tickets' }).getByRole('columnheader', { name, exact: true }).boundingBox()
  if (!box) throw new Error(`no ${name} column`)
  return box.width
}

/** Whether an element's visible width holds at least `chars` characters of its own text in its own font. */
async function showsAtLeast(locator: Locator, chars: number): Promise<{ visible: number; needed: number }> {
  return locator.evaluate((el, n) => {
    const canvas = document.createElement('canvas').getContext('2d')
    if (!canvas) throw new Error('no canvas')
    canvas.font = getComputedStyle(el).font
    const text = (el.textContent ?? '').slice(0, n)
    return { visible: el.getBoundingClientRect().width, needed: canvas.measureText(text).width }
  }, chars)
}

test('a body-only export reads like a helpdesk inbox', async ({ page }, testInfo) => {
  test.setTimeout(120_000)
  await page.setViewportSize({ width: 1280, height: 720 })
  const csv = testInfo.outputPath('body-only-export.csv')
  writeFileSync(csv, ['Document,Topic_group', ...BODIES.map(([body, group]) => `${body},${group}`), ''].join('\n'))

  await page.goto(home())
  const importer = new ImportScreen(page)
  await importer.open()
  await importer.chooseFile(csv)
  const counts = await importer.importAndWait()
  expect(counts.imported).toBe(BODIES.length)
  await page.getByRole('button', { name: 'Open the inbox' }).click()

  const grid = page.getByRole('grid', { name: 'Tickets' })
  const rows = grid.getByRole('row')
  await expect(rows).toHaveCount(BODIES.length + 1)
  await expect(grid).not.toContainText('Loading…')

  // Titles come from the body; nothing says "(no subject)".
  await expect(grid).not.toContainText('(no subject)')
  const titles = await grid.locator('.subject-cell .subject').allInnerTexts()
  expect(titles).toHaveLength(BODIES.length)
  for (const title of titles) {
    const words = title.replace(/…$/, '')
    expect(words.length).toBeGreaterThan(20)
    expect(BODIES.some(([body]) => body.startsWith(words)), title).toBe(true)
  }
  // Set apart from a written subject: not bold.
  expect(Number(await grid.locator('.subject-cell .subject').first().evaluate((el) => getComputedStyle(el).fontWeight))).toBeLessThan(600)

  // No column is empty on every row: the export has no date, status or priority.
  expect(await headers(grid)).toEqual(['ID', 'Subject', 'Topic_group'])
  const columnCount = (await headers(grid)).length
  for (let col = 0; col < columnCount; col++) {
    const cells = await grid.locator(`tbody tr:not(.spacer) td:nth-child(${col + 1})`).allInnerTexts()
    expect(cells.some((text) => text.trim() !== ''), `column ${col + 1} has a value somewhere`).toBe(true)
  }

  // External ids (generated: the export has none) show whole.
  const firstId = grid.getByRole('row').nth(1).getByRole('gridcell').first().locator('span')
  const idFit = await firstId.evaluate((el) => ({ scroll: el.scrollWidth, client: el.parentElement?.clientWidth ?? 0 }))
  expect(idFit.scroll).toBeLessThanOrEqual(idFit.client)

  // Dragging the ID column's edge widens it, and the width survives a reload.
  const before = await columnWidth(page, 'ID')
  const handle = grid.getByRole('separator', { name: 'Resize the ID column' })
  const box = await handle.boundingBox()
  if (!box) throw new Error('no resize handle')
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2, { steps: 4 })
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2, { steps: 4 })
  await page.mouse.up()
  const widened = await columnWidth(page, 'ID')
  expect(widened).toBeGreaterThan(before + 70)
  expect(widened).toBeLessThan(before + 90)
  // A drag is not a click on the header: the grid did not sort.
  await expect(grid.getByRole('columnheader', { name: 'ID', exact: true })).toHaveAttribute('aria-sort', 'none')
  await page.reload()
  await expect(grid.getByRole('row')).toHaveCount(BODIES.length + 1)
  expect(Math.abs((await columnWidth(page, 'ID')) - widened)).toBeLessThanOrEqual(1)
  // The handle works from the keyboard too.
  await grid.getByRole('separator', { name: 'Resize the ID column' }).focus()
  await page.keyboard.press('ArrowRight')
  await expect.poll(() => columnWidth(page, 'ID')).toBeGreaterThan(widened + 10)
  await page.keyboard.press('ArrowLeft')
  await expect.poll(() => columnWidth(page, 'ID')).toBeLessThan(widened + 2)

  // Open the later of the two Outlook tickets (the inbox lists newest first).
  const search = page.getByRole('searchbox', { name: 'Search tickets' })
  await search.fill('outlook')
  await search.press('Enter')
  await expect(page.locator('.result-count')).toHaveText('2 tickets')
  const earlierId = await grid.getByRole('row').nth(2).getByRole('gridcell').first().innerText()
  await grid.getByRole('row').nth(1).click()
  const detail = page.getByRole('complementary', { name: 'Ticket detail' })
  const heading = detail.getByRole('heading', { level: 2 })
  await expect(heading).toContainText('outlook keeps asking for my password')

  // The panel does not squeeze the title: the heading and the grid's subject each show over 20 characters.
  const headingFit = await showsAtLeast(heading.locator('span'), 21)
  expect(headingFit.visible).toBeGreaterThanOrEqual(headingFit.needed)
  const subjectFit = await showsAtLeast(grid.getByRole('row').nth(1).locator('.subject-cell .subject'), 21)
  expect(subjectFit.visible).toBeGreaterThanOrEqual(subjectFit.needed)

  // Similar tickets are in view when the panel opens, above the (collapsed) raw record, scored in words.
  const similar = detail.getByRole('region', { name: 'Similar tickets' })
  const firstHit = similar.getByRole('listitem').first()
  await expect(firstHit).toBeVisible({ timeout: 30_000 })
  await expect(firstHit).toBeInViewport()
  await expect(firstHit).toContainText(/\d+% similar/)
  await expect(similar).not.toContainText('(no subject)')
  const raw = detail.getByRole('region', { name: 'Raw source fields' })
  await expect(raw.getByText('Topic_group', { exact: true })).toBeHidden()
  const similarBox = await similar.boundingBox()
  const rawBox = await raw.boundingBox()
  expect(similarBox && rawBox && similarBox.y < rawBox.y).toBe(true)

  // The near-duplicate link names the earlier ticket by its external id, not by a row number.
  const duplicate = detail.getByRole('button', { name: `ticket ${earlierId}`, exact: true })
  await expect(duplicate).toBeVisible({ timeout: 30_000 })
  await expect(detail.locator('dl.fields')).toContainText(/Duplicate of\s*ticket #[0-9a-f]+\.\d+ \(\d+% similar\)/)

  await page.screenshot({ path: 'test-results/inbox-helpdesk.png' })

  // The raw record is one click away.
  await raw.getByText(/Raw source fields/).click()
  await expect(raw.getByText('Topic_group', { exact: true })).toBeVisible()
  await duplicate.click()
  await expect(detail.locator('dl.fields')).toContainText(earlierId)
})
