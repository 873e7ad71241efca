// The desktop's team state in its SQLite file (table team_config): the connection without its password,
// who this desktop is (its role, a desktop id), the team it belongs to, cursors and the last outcome.
import { randomUUID } from 'node:crypto'
import type { Db } from '../store/database.ts'

export interface TeamConfig {
  readonly url: string
  readonly role: string
  readonly lead: boolean
  readonly desktopId: string
  readonly teamId: string
}

/** The kinds pulled, in the order they are applied: a decision's ticket and a model's files come first. */
export const PULL_KINDS = ['tickets', 'decisions', 'models', 'activations', 'thresholds'] as const
export type PullKind = (typeof PULL_KINDS)[number]

export function readValue(db: Db, key: string): string | undefined {
  return (db.prepare('SELECT value FROM team_config WHERE key = ?').get(key) as { value: string } | undefined)?.value
}

export function writeValue(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO team_config (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value)
}

export function deleteValue(db: Db, key: string): void {
  db.prepare('DELETE FROM team_config WHERE key = ?').run(key)
}

export function readTeamConfig(db: Db): TeamConfig | undefined {
  const url = readValue(db, 'url')
  if (url === undefined) return undefined
  return {
    url,
    role: readValue(db, 'role') ?? '',
    lead: readValue(db, 'lead') === '1',
    desktopId: desktopId(db),
    teamId: readValue(db, 'team_id') ?? ''
  }
}

/** This desktop's id in the team: rows it pushed carry it, so that it does not pull its own work back. */
export function desktopId(db: Db): string {
  const known = readValue(db, 'desktop_id')
  if (known) return known
  const id = randomUUID()
  writeValue(db, 'desktop_id', id)
  return id
}

export function cursor(db: Db, kind: PullKind): number {
  return Number(readValue(db, `cursor:${kind}`) ?? 0)
}

export function setCursor(db: Db, kind: PullKind, seq: number): void {
  writeValue(db, `cursor:${kind}`, String(seq))
}

/**
 * Joining a different team forgets what the last team had (marks, cursors), so that everything here is
 * pushed to the new one; joining the same team again keeps them, so nothing is pulled or pushed twice.
 */
export function joinTeamConfig(db: Db, c: Omit<TeamConfig, 'desktopId'>): TeamConfig {
  db.transaction(() => {
    const previousTeam = readValue(db, 'team_id')
    if (previousTeam !== undefined && previousTeam !== c.teamId) {
      db.exec("DELETE FROM team_tickets; DELETE FROM team_reviews; DELETE FROM team_models; DELETE FROM team_config WHERE key LIKE 'cursor:%' OR key LIKE 'active:%' OR key LIKE 'thresholds:%'")
    }
    writeValue(db, 'url', c.url)
    writeValue(db, 'role', c.role)
    writeValue(db, 'lead', c.lead ? '1' : '0')
    writeValue(db, 'team_id', c.teamId)
  })()
  return readTeamConfig(db)!
}

/** Leaving keeps the data and the marks (joining the same team again resumes); the connection is forgotten. */
export function leaveTeamConfig(db: Db): void {
  db.transaction(() => {
    for (const key of ['url', 'role', 'lead', 'last_sync_at', 'offline_since', 'last_error']) deleteValue(db, key)
  })()
}

/**
 * Who decides on this desktop: its team role once it has joined (the team database records the same
 * authenticated role as the decision's author), the reviewer name from Settings before that.
 */
export function reviewerIdentity(db: Db, reviewerName: string): string {
  const role = readValue(db, 'role')
  return role && readValue(db, 'url') !== undefined ? role : reviewerName
}
