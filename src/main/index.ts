// Electron main: window, security, native dialog and the engine's life. It is deliberately thin and
// never on the data path; see engineHost.ts.
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { app, BrowserWindow, ipcMain } from 'electron'
import { registerCsvDialog } from './csvDialog.ts'
import { EngineHost } from './engineHost.ts'
import { teamPasswordVault } from './teamPasswords.ts'
import { applyAppSecurity, applySessionSecurity, isTrustedSender } from './security.ts'
import { createMainWindow } from './window.ts'

const OUT_MAIN = fileURLToPath(new URL('.', import.meta.url))
const APP_ROOT = resolve(OUT_MAIN, '../..')
const INDEX_HTML = join(APP_ROOT, 'out/renderer/index.html')
const INDEX_URL = pathToFileURL(INDEX_HTML).href

/** Our page, and only our page, counts as trusted (query and hash aside). */
function isTrustedUrl(url: string): boolean {
  return url.split(/[?#]/)[0] === INDEX_URL
}

// Tests and portable installs point the data dir elsewhere; must happen before `ready`.
if (process.env.TRIAGE_DATA_DIR) app.setPath('userData', resolve(process.env.TRIAGE_DATA_DIR))
app.enableSandbox()
applyAppSecurity(isTrustedUrl)

if (!app.requestSingleInstanceLock()) {
  // Two engines on one database would fight over its write lock.
  app.quit()
} else {
  let engine: EngineHost | null = null

  // The first instance owns the database; a second launch brings its window forward instead.
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0]
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.focus()
  })

  void app.whenReady().then(() => {
    applySessionSecurity()
    // Models install into the user-data folder; TRIAGE_MODELS_DIR, inherited by the engine, is searched first.
    engine = new EngineHost({
      entry: join(OUT_MAIN, 'engine.js'),
      dbPath: join(app.getPath('userData'), 'triage.sqlite'),
      sqliteBinding: join(APP_ROOT, 'build/electron/better_sqlite3.node'),
      teamPasswords: teamPasswordVault(app.getPath('userData'))
    })
    engine.start()
    const host = engine
    // Preload asks for its port on every (re)load of the page.
    ipcMain.on('triage:connect', (event) => {
      if (isTrustedSender(event.senderFrame, isTrustedUrl)) host.connect(event.sender)
    })
    registerCsvDialog(isTrustedUrl, (path) => host.allowPath(path))
    createMainWindow({ preload: join(APP_ROOT, 'out/preload/index.cjs'), indexHtml: INDEX_HTML })
  })

  app.on('window-all-closed', () => app.quit())
  app.on('before-quit', () => engine?.stop())
}
