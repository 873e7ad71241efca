// What a lead or the database owner does to the team database itself: create or upgrade its schema
// (`triage team init`) and give a PostgreSQL login role the agents' or the leads' rights.
import { EngineError } from '../../../shared/errors.ts'
import { assertKnownVersions, connectTeam, type TeamClient } from './teamConnection.ts'
import { AGENTS_ROLE, LEADS_ROLE, TEAM_MIGRATIONS } from './teamSchema.ts'

export interface InitResult {
  readonly applied: number[]
  readonly version: number
  readonly teamId: string
}

/** Applies the team migrations this database lacks, each in its own transaction; running it again changes nothing. */
export async function initTeam(url: string): Promise<InitResult> {
  const client = await connectTeam(url)
  try {
    return await applyTeamMigrations(client)
  } finally {
    await client.end()
  }
}

export async function applyTeamMigrations(client: TeamClient): Promise<InitResult> {
  const applied: number[] = []
  try {
    await client.query('BEGIN')
    // Two leads running init at once: the second waits here and then finds nothing left to do.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('triage.init'))")
    await client.query('CREATE SCHEMA IF NOT EXISTS triage')
    await client.query('CREATE TABLE IF NOT EXISTS triage.schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())')
    const done = (await client.query<{ version: number; name: string }>('SELECT version, name FROM triage.schema_migrations ORDER BY version')).rows
    assertKnownVersions(done)
    for (const m of TEAM_MIGRATIONS.slice(done.length)) {
      await client.query(m.sql)
      await client.query('INSERT INTO triage.schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name])
      applied.push(m.version)
    }
    await client.query('COMMIT')
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    const e = err as { code?: string; message?: string }
    if (e.code === '42501') throw new EngineError('TEAM_FORBIDDEN', `This role may not create the team schema (${e.message}). The database owner runs \`triage team init\`; it needs CREATEROLE to create the group roles.`)
    throw err
  }
  const team = await client.query<{ id: string }>('SELECT id FROM triage.team LIMIT 1')
  return { applied, version: TEAM_MIGRATIONS.length, teamId: team.rows[0]!.id }
}

export type MemberKind = 'agent' | 'lead'

/** Grants an existing login role the agents' or the leads' group role (leads are agents too). */
export async function addMember(url: string, role: string, kind: MemberKind, dbPath?: string): Promise<{ role: string; kind: MemberKind }> {
  const client = await connectTeam(url, dbPath ? { dbPath } : {})
  try {
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])
    if (exists.rowCount === 0) throw new EngineError('NOT_FOUND', `There is no PostgreSQL role "${role}": create it first (CREATE ROLE "${role}" LOGIN PASSWORD '…').`, { role })
    const group = kind === 'lead' ? LEADS_ROLE : AGENTS_ROLE
    try {
      await client.query(`GRANT ${group} TO ${client.escapeIdentifier(role)}`)
    } catch (err) {
      const e = err as { code?: string; message?: string }
      if (e.code === '42501') throw new EngineError('TEAM_FORBIDDEN', `This role may not grant ${group}: ${e.message}. A lead with ADMIN rights or the database owner runs it.`)
      throw err
    }
    return { role, kind }
  } finally {
    await client.end()
  }
}
