// `pickCsvFile` and `pickModelFolder` in Electron: native open dialogs. The renderer only ever sees a
// path the user chose.
import { BrowserWindow, dialog, ipcMain } from 'electron'
import { isTrustedSender } from './security.ts'

export const PICK_CSV_CHANNEL = 'triage:pick-csv'
export const PICK_MODEL_FOLDER_CHANNEL = 'triage:pick-model-folder'

export function registerCsvDialog(isTrustedUrl: (url: string) => boolean): void {
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
    const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options)
    return result.canceled ? null : (result.filePaths[0] ?? null)
  })
  ipcMain.handle(PICK_MODEL_FOLDER_CHANNEL, async (event): Promise<string | null> => {
    if (!isTrustedSender(event.senderFrame, isTrustedUrl)) return null
    const owner = BrowserWindow.fromWebContents(event.sender)
    const options: Electron.OpenDialogOptions = { title: 'Install an embedding model from a folder', properties: ['openDirectory'] }
    const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options)
    return result.canceled ? null : (result.filePaths[0] ?? null)
  })
}
