// The packaged shape: Electron main + sandboxed preload + engine utilityProcess. Skips only where the
// Electron binary is absent (offline installs never download it); see scripts/electronBinary.mjs.
import { _electron as electron, expect, test } from '@playwright/test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { electronBinary } from '../scripts/electronBinary.mjs'
import { ensureElectronSqlite } from '../scripts/electronSqlite.mjs'

const ROOT = resolve(import.meta.dirname, '..')
const binary = electronBinary()

test.skip(binary === null, 'Electron binary not installed (no node_modules/electron/path.txt or dist/)')
test.beforeAll(() => {
  // The engine's database driver for Electron's ABI; where it cannot be fetched or built the spec fails, saying so.
  const sqlite = ensureElectronSqlite()
  if (!sqlite.ok) throw new Error(sqlite.message)
})

test('the Electron app starts sandboxed, opens its database, imports a chosen file and predicts', async () => {
  test.setTimeout(180_000)
  const dataDir = mkdtempSync(join(tmpdir(), 'triage-electron-'))
  const app = await electron.launch({
    executablePath: binary ?? undefined,
    args: [ROOT],
    env: { ...process.env, TRIAGE_DATA_DIR: dataDir }
  })
  try {
    const window = await app.firstWindow()
    await expect(window.getByRole('heading', { name: 'No tickets yet' })).toBeVisible()
    await expect(window.getByRole('status').filter({ hasText: 'Engine: connected' })).toBeVisible()
    // Exactly one object crosses the bridge, and Node is not reachable from the page.
    const exposed = await window.evaluate(() => ({
      triage: typeof (window as unknown as { triage?: unknown }).triage,
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process
    }))
    expect(exposed).toEqual({ triage: 'object', require: 'undefined', process: 'undefined' })
    const info = await window.evaluate(async () => {
      const api = (window as unknown as { triage: { request(m: string, p: object): Promise<{ dbPath: string }> } }).triage
      return api.request('app.info', {})
    })
    expect(info.dbPath).toBe(join(dataDir, 'triage.sqlite'))

    // The engine opens its database with better-sqlite3 built for Electron's ABI (scripts/electronSqlite.mjs),
    // takes a CSV only as a path chosen in the native dialog (stubbed here in main), imports it and predicts.
    const csv = join(dataDir, 'tickets.csv')
    writeFileSync(csv, ['id,subject,body,queue', ...Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? `P${i},Printer jam ${i},the printer jams on page ${i},Hardware` : `V${i},VPN drops ${i},the vpn drops every ${i} minutes,Network`))].join('\n'))
    await app.evaluate(({ dialog }, path) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [path] })) as typeof dialog.showOpenDialog
    }, csv)
    const predicted = await window.evaluate(async () => {
      type Api = { request(m: string, p: object): Promise<unknown>; pickCsvFile(): Promise<string | null> }
      const api = (window as unknown as { triage: Api }).triage
      const refused = await api.request('import.preview', { path: '/etc/passwd' }).then(() => 'read', (e: { code?: string }) => e.code)
      const path = await api.pickCsvFile()
      if (!path) throw new Error('no path from the dialog')
      await api.request('import.start', { path })
      const until = async (check: () => Promise<boolean>): Promise<void> => {
        for (let i = 0; i < 300 && !(await check()); i++) await new Promise((r) => setTimeout(r, 200))
      }
      await until(async () => ((await api.request('imports.list', {})) as { status: string }[])[0]?.status === 'done')
      await api.request('model.train', { target: 'queue', embedder: 'none' })
      let page: { rows: { predictions: Record<string, unknown> }[] } = { rows: [] }
      await until(async () => {
        page = (await api.request('tickets.page', { limit: 5 })) as typeof page
        return page.rows.some((r) => r.predictions['queue'] !== undefined)
      })
      return { refused, withPrediction: page.rows.filter((r) => r.predictions['queue'] !== undefined).length }
    })
    expect(predicted).toEqual({ refused: 'FILE_NOT_FOUND', withPrediction: 5 })
  } finally {
    await app.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
