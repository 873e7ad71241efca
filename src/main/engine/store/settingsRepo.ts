// User settings live in the database, beside the data they govern, validated on the way in and out.
import { settingsSchema, type Settings } from '../../../shared/contract.ts'
import type { Db } from './database.ts'

export function readSettings(db: Db): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]
  const stored: Record<string, unknown> = {}
  for (const r of rows) stored[r.key] = JSON.parse(r.value)
  // Unknown or invalid stored values fall back to defaults rather than breaking start-up.
  const parsed = settingsSchema.safeParse(stored)
  return parsed.success ? parsed.data : settingsSchema.parse({})
}

export function writeSettings(db: Db, patch: Partial<Settings>): Settings {
  const next = settingsSchema.parse({ ...readSettings(db), ...patch })
  const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
  db.transaction(() => {
    for (const [k, v] of Object.entries(next)) put.run(k, JSON.stringify(v))
  })()
  return next
}
