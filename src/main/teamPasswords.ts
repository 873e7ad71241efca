// The team database password in the Electron app: encrypted with the OS keychain through safeStorage
// (Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux) in `<userData>/team-password.bin`,
// decrypted in main and handed to the engine at each start. Where safeStorage has no real keychain (Linux
// without one falls back to a fixed key, "basic_text"), nothing is written: the password lasts until the
// app quits and the user joins again (or supplies it through PGPASSWORD / ~/.pgpass).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { safeStorage } from 'electron'

export interface TeamPasswordEntry {
  readonly url: string
  readonly password: string
}

export interface TeamPasswordVault {
  load(): TeamPasswordEntry[]
  keep(url: string, password: string): void
  forget(): void
}

function keychainAvailable(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false
  return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'
}

export function teamPasswordVault(userData: string): TeamPasswordVault {
  const file = join(userData, 'team-password.bin')
  return {
    load() {
      if (!existsSync(file) || !keychainAvailable()) return []
      try {
        const entries = JSON.parse(safeStorage.decryptString(readFileSync(file))) as unknown
        return Array.isArray(entries) ? (entries as TeamPasswordEntry[]).filter((e) => typeof e?.url === 'string' && typeof e?.password === 'string') : []
      } catch (err) {
        // Another user's or machine's keychain: the user joins again.
        console.error(`team password unreadable (${(err as Error).message}); join the team again`)
        return []
      }
    },
    keep(url, password) {
      if (!keychainAvailable()) {
        console.error('no OS keychain for safeStorage: the team password is kept until the app quits, not on disk')
        return
      }
      // One team at a time: joining replaces what was kept.
      writeFileSync(file, safeStorage.encryptString(JSON.stringify([{ url, password }])), { mode: 0o600 })
    },
    forget() {
      rmSync(file, { force: true })
    }
  }
}
