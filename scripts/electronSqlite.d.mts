/** Where the Electron-ABI build of better-sqlite3 goes (main passes it to the engine). */
export const ELECTRON_SQLITE: string
/** Makes that build once per Electron version: the prebuilt binary, else a build against Electron's headers. */
export function ensureElectronSqlite(options?: { force?: boolean }): { ok: boolean; message: string }
