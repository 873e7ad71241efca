// Joining and leaving a team. Joining checks the database (initialised, not newer than this app, this
// role a member) and records the connection without its password. A password given in the URL goes, in
// the Electron app, to main, which keeps it encrypted with safeStorage (TeamPasswordKeeper); in the
// browser host and the CLI, to the desktop's own libpq password file beside the database (`<db>.pgpass`,
// mode 0600). Never into the SQLite file; without one, PGPASSWORD or the user's ~/.pgpass supply it.
import { rmSync } from 'node:fs'
import type { TeamJoined } from '../../../shared/team.ts'
import type { Db } from '../store/database.ts'
import { checkTeamSchema, connectTeam, forgetPasswords, parseTeamUrl, passwordFilePath, rememberPassword, savePassword } from './teamConnection.ts'
import { joinTeamConfig, leaveTeamConfig, readTeamConfig } from './teamConfig.ts'

export type Joined = TeamJoined

/**
 * A host that keeps the team password itself, encrypted (Electron main, with safeStorage): joining hands
 * it the password instead of writing the plain-text password file, and leaving tells it to forget.
 */
export interface TeamPasswordKeeper {
  keep(url: string, password: string): void
  forget(): void
}

export async function joinTeam(db: Db, dbPath: string, url: string, keeper?: TeamPasswordKeeper): Promise<Joined> {
  const t = parseTeamUrl(url)
  const client = await connectTeam(url, { dbPath })
  let role: string
  let lead: boolean
  let teamId: string
  try {
    teamId = (await checkTeamSchema(client)).teamId
    const who = await client.query<{ role: string; lead: boolean }>("SELECT current_user AS role, has_table_privilege('triage.decisions', 'INSERT') AS lead")
    role = who.rows[0]!.role
    lead = who.rows[0]!.lead
  } finally {
    await client.end().catch(() => {})
  }
  let passwordFile: string | null = null
  if (t.password !== undefined && keeper) {
    rememberPassword(t.safe, t.password)
    keeper.keep(t.safe, t.password)
  } else if (t.password !== undefined) passwordFile = savePassword(dbPath, t, t.password)
  joinTeamConfig(db, { url: t.safe, role, lead, teamId })
  return { url: t.safe, role, lead, teamId, passwordFile }
}

/** Forgets the connection and the desktop's password file; the data and sync marks stay. */
export function leaveTeam(db: Db, dbPath: string, keeper?: TeamPasswordKeeper): { left: boolean } {
  const joined = readTeamConfig(db) !== undefined
  leaveTeamConfig(db)
  rmSync(passwordFilePath(dbPath), { force: true })
  forgetPasswords()
  keeper?.forget()
  return { left: joined }
}
