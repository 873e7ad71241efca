// `pickCsvFile` and `pickModelFolder` in Electron: native open dialogs. The renderer only ever sees a
// path the user chose.
import { BrowserWindow, dialog, ipcMain } from 'electron'
import { isTrustedSender } from './security.ts'

export const PICK_CSV_CHANNEL = 'triage:pick-csv'
export const PICK_MODEL_FOLDER_CHANNEL = 'triage:pick-model-folder'

/** `onChosen` hears every path the user picked, so the engine can be told it may read it (and nothing else). */
export function registerCsvDialog(isTrustedUrl: (url: string) => boolean, onChosen: (path: string) => void): void {
  ipcMain.handle(PICK_CSV_CHANNEL, async (event): Promise<string | null> => {
    if (!isTrustedSender(event.senderFrame, isTrustedUrl)) return null
    const owner = BrowserWindow.fromWebContents(event.sender)
    const options: Electron.OpenDialogOptions = {
      title: 'Import a helpdesk CSV export',
      properties: ['openFile'],
      filters: [
        { name: 'CSV / TSV', extensions: ['csv', 'tsv', 'txt'] },
        { name: 'All files', extensions: ['*'] }
      ]
    }
    return chosen(owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options), onChosen)
  })
  ipcMain.handle(PICK_MODEL_FOLDER_CHANNEL, async (event): Promise<string | null> => {
    if (!isTrustedSender(event.senderFrame, isTrustedUrl)) return null
    const owner = BrowserWindow.fromWebContents(event.sender)
    const options: Electron.OpenDialogOptions = { title: 'Install an embedding model from a folder', properties: ['openDirectory'] }
    return chosen(owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options), onChosen)
  })
}

function chosen(result: Electron.OpenDialogReturnValue, onChosen: (path: string) => void): string | null {
  const path = result.canceled ? undefined : result.filePaths[0]
  if (path === undefined) return null
  onChosen(path)
  return path
}
