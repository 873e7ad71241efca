// The one application window, with the settings that keep a compromised renderer contained:
// context isolation, the Chromium sandbox (hence a CommonJS preload), no Node integration.
import { BrowserWindow } from 'electron'

export interface WindowPaths {
  readonly preload: string
  readonly indexHtml: string
}

export function createMainWindow(paths: WindowPaths): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    title: 'Triage Desk',
    show: false,
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false
    }
  })
  win.once('ready-to-show', () => win.show())
  void win.loadFile(paths.indexHtml)
  return win
}
