// User settings live in the database, beside the data they govern, validated on the way in and out.
import { settingsPatchSchema, settingsSchema, type Settings } from '../../../shared/contract.ts'
import type { Db } from './database.ts'

export function readSettings(db: Db): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]
  // Each stored value is checked on its own: an unknown key (from a newer app) or a value that no longer
  // validates falls back to its default alone, without resetting the others or breaking start-up.
  const valid: Record<string, unknown> = {}
  for (const r of rows) {
    let value: unknown
    try {
      value = JSON.parse(r.value)
    } catch {
      continue
    }
    if (settingsPatchSchema.safeParse({ [r.key]: value }).success) valid[r.key] = value
  }
  return settingsSchema.parse(valid)
}

export function writeSettings(db: Db, patch: Partial<Settings>): Settings {
  const next = settingsSchema.parse({ ...readSettings(db), ...patch })
  const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
  db.transaction(() => {
    for (const [k, v] of Object.entries(next)) put.run(k, JSON.stringify(v))
  })()
  return next
}
