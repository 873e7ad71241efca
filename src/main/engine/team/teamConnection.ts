// Connecting to the team database. The URL is stored without its password (SQLite is no place for one);
// the password comes, in this order, from the host (Electron keeps it encrypted with safeStorage and hands
// it over at start: rememberPassword), from PGPASSWORD (node-postgres reads it), from the desktop's own
// password file beside its database (`<db>.pgpass`, mode 0600, libpq's format, written by `team join`
// when the URL it was given held a password), or from the user's libpq password file (PGPASSFILE or
// ~/.pgpass). TLS options (sslmode=verify-full, sslrootcert=…) travel in the URL; node-postgres reads them.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { EngineError } from '../../../shared/errors.ts'
import { TEAM_MIGRATIONS, TEAM_SCHEMA_VERSION } from './teamSchema.ts'

export type TeamClient = pg.Client

export interface TeamUrl {
  /** The URL with any password removed: what may be stored and shown. */
  readonly safe: string
  readonly password: string | undefined
  readonly host: string
  readonly port: string
  readonly database: string
  readonly user: string
}

export function parseTeamUrl(url: string): TeamUrl {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new EngineError('BAD_REQUEST', 'The team database URL is not a URL; it looks like postgres://ROLE@HOST:5432/DATABASE.')
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new EngineError('BAD_REQUEST', `The team database URL must start with postgres://, not ${u.protocol}//.`)
  }
  const password = u.password === '' ? undefined : decodeURIComponent(u.password)
  u.password = ''
  return {
    safe: u.toString(),
    password,
    host: u.hostname || 'localhost',
    port: u.port || '5432',
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username),
    user: decodeURIComponent(u.username)
  }
}

/** The desktop's own password file, beside its database. */
export function passwordFilePath(dbPath: string): string {
  return `${dbPath}.pgpass`
}

const escapeField = (s: string): string => s.replace(/\\/g, '\\\\').replace(/:/g, '\\:')

/** Splits one libpq password-file line into its five fields (`\:` and `\\` escape). */
function fields(line: string): string[] {
  const out: string[] = []
  let cur = ''
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (c === '\\' && i + 1 < line.length) cur += line[++i]
    else if (c === ':') {
      out.push(cur)
      cur = ''
    } else cur += c
  }
  out.push(cur)
  return out
}

/** The password a libpq password file gives for this host, port, database and user ("*" matches any). */
export function passwordFromFile(file: string, t: TeamUrl): string | undefined {
  if (!existsSync(file)) return undefined
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue
    const f = fields(line)
    if (f.length < 5) continue
    const want = [t.host, t.port, t.database, t.user]
    if (want.every((w, i) => f[i] === '*' || f[i] === w)) return f.slice(4).join(':')
  }
  return undefined
}

/** Adds or replaces this URL's line in the desktop's password file, which only its owner may read. */
export function savePassword(dbPath: string, t: TeamUrl, password: string): string {
  const file = passwordFilePath(dbPath)
  const key = [t.host, t.port, t.database, t.user].map(escapeField).join(':')
  const kept = existsSync(file) ? readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith(`${key}:`)) : []
  writeFileSync(file, [...kept, `${key}:${escapeField(password)}`].join('\n') + '\n', { mode: 0o600 })
  if (process.platform !== 'win32') chmodSync(file, 0o600)
  return file
}

/** Passwords a host handed this process (Electron main decrypts them with safeStorage): memory only. */
const hostPasswords = new Map<string, string>()
const hostKey = (t: TeamUrl): string => [t.host, t.port, t.database, t.user].join('\u0000')

/** A password the host keeps for this URL's role, good for this process's life. */
export function rememberPassword(url: string, password: string): void {
  hostPasswords.set(hostKey(parseTeamUrl(url)), password)
}

export function forgetPasswords(): void {
  hostPasswords.clear()
}

function passwordFor(t: TeamUrl, dbPath: string | undefined): string | undefined {
  if (t.password !== undefined) return t.password
  const given = hostPasswords.get(hostKey(t))
  if (given !== undefined) return given
  if (process.env['PGPASSWORD']) return process.env['PGPASSWORD']
  if (dbPath) {
    const own = passwordFromFile(passwordFilePath(dbPath), t)
    if (own !== undefined) return own
  }
  const userFile = process.env['PGPASSFILE'] || join(homedir(), '.pgpass')
  return passwordFromFile(userFile, t)
}

export interface ConnectOptions {
  /** The desktop's database, whose password file may hold this URL's password. */
  readonly dbPath?: string
  readonly timeoutMs?: number
}

/** Opens a connection; an unreachable server is `TEAM_OFFLINE`, a refused login `TEAM_AUTH`. */
export async function connectTeam(url: string, options: ConnectOptions = {}): Promise<TeamClient> {
  const t = parseTeamUrl(url)
  const password = passwordFor(t, options.dbPath)
  const client = new pg.Client({
    connectionString: t.safe,
    connectionTimeoutMillis: options.timeoutMs ?? 5000,
    application_name: 'triage-desk',
    ...(password !== undefined ? { password } : {})
  })
  // A connection that drops later surfaces as a failed query; this keeps the event from crashing the process.
  client.on('error', () => {})
  try {
    await client.connect()
  } catch (err) {
    await client.end().catch(() => {})
    throw describeConnectError(err, t)
  }
  return client
}

function describeConnectError(err: unknown, t: TeamUrl): EngineError {
  const e = err as { code?: string; message?: string }
  const where = `${t.user}@${t.host}:${t.port}/${t.database}`
  if (e.code === '28P01' || e.code === '28000') return new EngineError('TEAM_AUTH', `The team database refused the login ${where}: ${e.message}. Check the role and its password (PGPASSWORD, ~/.pgpass, or join again with the password in the URL).`, { code: e.code })
  if (e.code === '3D000') return new EngineError('TEAM_SCHEMA', `The team database ${t.database} does not exist on ${t.host}:${t.port}.`, { code: e.code })
  return new EngineError('TEAM_OFFLINE', `The team database ${where} cannot be reached: ${e.message ?? String(err)}. Work goes on locally; sync catches up when it is back.`, { code: e.code })
}

/** The team schema's version here; refuses a database not initialised or written by a newer app. */
export async function checkTeamSchema(client: TeamClient): Promise<{ version: number; teamId: string }> {
  let versions: { version: number; name: string }[]
  try {
    versions = (await client.query<{ version: number; name: string }>('SELECT version, name FROM triage.schema_migrations ORDER BY version')).rows
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === '42P01' || code === '3F000') throw new EngineError('TEAM_SCHEMA', 'This database holds no team yet: a lead runs `triage team init --url URL` once.')
    if (code === '42501') throw new EngineError('TEAM_SCHEMA', 'This role is not a member of the team: a lead runs `triage team member add ROLE --agent` (or --lead).')
    throw err
  }
  assertKnownVersions(versions)
  if (versions.length < TEAM_SCHEMA_VERSION) {
    throw new EngineError('TEAM_SCHEMA', `The team database has schema ${versions.length}; this app needs ${TEAM_SCHEMA_VERSION}. A lead runs \`triage team init --url URL\` to upgrade it.`)
  }
  const team = await client.query<{ id: string }>('SELECT id FROM triage.team LIMIT 1')
  return { version: versions.length, teamId: team.rows[0]!.id }
}

export function assertKnownVersions(versions: readonly { version: number; name: string }[]): void {
  versions.forEach((row, i) => {
    const known = TEAM_MIGRATIONS[i]
    if (!known || known.version !== row.version || known.name !== row.name) {
      throw new EngineError(
        'TEAM_DB_NEWER_THAN_APP',
        `The team database was written by a newer version of Triage Desk (team schema ${row.version} "${row.name}"); this app knows team schema ${TEAM_SCHEMA_VERSION}. Update the app.`,
        { dbVersion: row.version, appVersion: TEAM_SCHEMA_VERSION }
      )
    }
  })
}
