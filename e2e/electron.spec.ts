// The packaged shape: Electron main + sandboxed preload + engine utilityProcess. Skips only where the
// Electron binary is absent (offline installs never download it); see scripts/electronBinary.mjs.
import { _electron as electron, expect, test } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { electronBinary } from '../scripts/electronBinary.mjs'

const ROOT = resolve(import.meta.dirname, '..')
const binary = electronBinary()

test.skip(binary === null, 'Electron binary not installed (no node_modules/electron/path.txt or dist/)')

test('the Electron app starts sandboxed and talks to the engine', async () => {
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
  } finally {
    await app.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
