// A throwaway PostgreSQL cluster for tests: initdb and pg_ctl on a temporary folder and a random port,
// loopback only. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user (runuser),
// otherwise as the current user. Where no PostgreSQL binaries exist, `POSTGRES_SKIP` says why and the
// tests that need one skip. `.ci/run` installs Debian's postgresql package.
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

/** The newest PostgreSQL bin folder: $TRIAGE_PG_BIN, Debian's /usr/lib/postgresql/N/bin, or pg_ctl on PATH. */
export function postgresBin(): string | undefined {
  const given = process.env['TRIAGE_PG_BIN']
  if (given && existsSync(join(given, 'pg_ctl'))) return given
  const root = '/usr/lib/postgresql'
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(a) - Number(b))
    if (versions.length) return join(root, versions.at(-1)!, 'bin')
  }
  const which = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' })
  const onPath = which.status === 0 ? which.stdout.trim() : ''
  return onPath ? onPath.replace(/\/pg_ctl$/, '') : undefined
}

const isRoot = process.getuid?.() === 0
const asPostgres = isRoot && spawnSync('id', ['-u', 'postgres']).status === 0

function skipReason(): string | undefined {
  if (!postgresBin()) return 'no PostgreSQL binaries (install Debian\'s postgresql package, or set TRIAGE_PG_BIN): tests against a real team database skip'
  if (isRoot && !asPostgres) return 'running as root without a postgres user to run the server as: tests against a real team database skip'
  return undefined
}

export const POSTGRES_SKIP = skipReason()
/** Whether the test cluster runs TLS (it needs openssl to make its certificates). */
export const HAS_OPENSSL = spawnSync('openssl', ['version']).status === 0

export interface TestPostgres {
  readonly port: number
  /** With TLS on (where openssl exists): the CA that signed the server's certificate (for 127.0.0.1 and
   * localhost), and another CA that did not. */
  readonly tls?: { readonly ca: string; readonly otherCa: string }
  /** postgres://ROLE@127.0.0.1:PORT/team (the cluster trusts loopback logins, so no password is needed). */
  url(role: string): string
  /** Runs SQL as the cluster's superuser on the team database. */
  admin(sql: string, params?: unknown[]): Promise<pg.QueryResult>
  /** Stops the server (the data stays) and starts it again: a database that goes down and comes back. */
  stop(): void
  start(): void
  destroy(): void
}

function run(bin: string, args: string[]): void {
  const [cmd, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', join(postgresBin()!, bin), ...args]] : [join(postgresBin()!, bin), args]
  execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
}

/**
 * Starts a cluster with database `team` owned by `team_owner` (CREATEROLE, not superuser: the rights a
 * managed PostgreSQL gives its admin) and login roles lead1, lead2, agent1 with no team rights yet.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'triage-pg-'))
  if (asPostgres) {
    chmodSync(dir, 0o755)
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    chownSync(dir, uid, gid)
  }
  const data = join(dir, 'data')
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'])
  const tls = makeCertificates(dir)
  const ssl = tls ? ` -c ssl=on -c ssl_cert_file=${join(dir, 'tls', 'server.crt')} -c ssl_key_file=${join(dir, 'tls', 'server.key')}` : ''
  let port = 0
  const start = (): void =>
    run('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off${ssl}`, '-l', join(dir, 'log'), '-w', 'start'])
  for (let attempt = 0; ; attempt++) {
    port = 20000 + Math.floor(Math.random() * 30000)
    try {
      start()
      break
    } catch (err) {
      if (attempt >= 4) throw err
    }
  }
  const url = (role: string, database = 'team'): string => `postgres://${role}@127.0.0.1:${port}/${database}`
  const setup = new pg.Client({ connectionString: url('postgres', 'postgres') })
  await setup.connect()
  await setup.query('CREATE ROLE team_owner LOGIN CREATEROLE')
  for (const r of ['lead1', 'lead2', 'agent1']) await setup.query(`CREATE ROLE ${r} LOGIN`)
  await setup.query('CREATE DATABASE team OWNER team_owner')
  await setup.end()
  return {
    port,
    ...(tls ? { tls } : {}),
    url: (role) => url(role),
    async admin(sql, params) {
      const c = new pg.Client({ connectionString: url('postgres') })
      await c.connect()
      try {
        return await c.query(sql, params)
      } finally {
        await c.end()
      }
    },
    stop: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    start,
    destroy() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** A CA and a server certificate for 127.0.0.1 and localhost, readable by the server's user; undefined without openssl. */
function makeCertificates(dir: string): { ca: string; otherCa: string } | undefined {
  if (!HAS_OPENSSL) return undefined
  const tls = join(dir, 'tls')
  const ssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: tls, stdio: ['ignore', 'pipe', 'pipe'] })
  }
  execFileSync('mkdir', ['-p', tls])
  for (const name of ['ca', 'other-ca']) ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=triage test ${name}`)
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost')
  writeFileSync(join(tls, 'san.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n')
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.cnf')
  chmodSync(join(tls, 'server.key'), 0o600)
  if (asPostgres) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    for (const f of ['', 'server.key', 'server.crt']) chownSync(join(tls, f), uid, gid)
  }
  return { ca: join(tls, 'ca.pem'), otherCa: join(tls, 'other-ca.pem') }
}
