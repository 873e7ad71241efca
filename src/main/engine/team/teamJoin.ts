// Joining and leaving a team. Joining checks the database (initialised, not newer than this app, this
// role a member) and records the connection without its password. A password given in the URL goes to
// the desktop's own libpq password file beside the database (`<db>.pgpass`, mode 0600), never into the
// SQLite file; without one, PGPASSWORD or the user's ~/.pgpass supply it at each connect.
import { rmSync } from 'node:fs'
import type { TeamJoined } from '../../../shared/team.ts'
import type { Db } from '../store/database.ts'
import { checkTeamSchema, connectTeam, parseTeamUrl, passwordFilePath, savePassword } from './teamConnection.ts'
import { joinTeamConfig, leaveTeamConfig, readTeamConfig } from './teamConfig.ts'

export type Joined = TeamJoined

export async function joinTeam(db: Db, dbPath: string, url: string): Promise<Joined> {
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
  const passwordFile = t.password !== undefined ? savePassword(dbPath, t, t.password) : null
  joinTeamConfig(db, { url: t.safe, role, lead, teamId })
  return { url: t.safe, role, lead, teamId, passwordFile }
}

/** Forgets the connection and the desktop's password file; the data and sync marks stay. */
export function leaveTeam(db: Db, dbPath: string): { left: boolean } {
  const joined = readTeamConfig(db) !== undefined
  leaveTeamConfig(db)
  rmSync(passwordFilePath(dbPath), { force: true })
  return { left: joined }
}
