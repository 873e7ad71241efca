import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

// `triage team …` and `triage review decide` as a shell runs them: strict command lines (exit 2, one line,
// no database created), and clear errors from the engine (exit 1 with a stable code).
const ROOT = resolve(import.meta.dirname, '../../..')
const dir = mkdtempSync(join(tmpdir(), 'triage-team-cli-'))
const DB = join(dir, 'data', 'triage.sqlite')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function triage(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(ROOT, 'bin/triage.mjs'), ...args], { cwd: dir, env: { ...process.env, TRIAGE_DB: DB } })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('triage team and review usage', () => {
  it('refuses a wrong command line in one line with exit 2, before any database exists', async () => {
    const cases: [string[], RegExp][] = [
      [['team'], /missing ACTION/],
      [['team', 'frobnicate'], /ACTION must be one of init, join, sync, status, leave, member, export, import, not "frobnicate"/],
      [['team', 'init'], /team init needs --url/],
      [['team', 'join', '--url'], /--url needs a value/],
      [['team', 'member', 'add', 'bob'], /exactly one of --agent or --lead/],
      [['team', 'member', 'add', 'bob', '--agent', '--lead'], /exactly one of --agent or --lead/],
      [['team', 'member', 'remove', 'bob', '--agent'], /team member takes "add ROLE --agent\|--lead", not "remove"/],
      [['team', 'sync', '--url', 'postgres://x@h/db'], /team sync takes no --url/],
      [['team', 'sync', '--agent'], /--agent and --lead go with team member add/],
      [['team', 'status', 'now'], /unexpected argument "now"/],
      [['team', 'export'], /team export needs a FILE/],
      [['team', 'export', 'f.bundle', '--since', 'soon'], /--since must be a date such as 2026-11-01, not "soon"/],
      [['team', 'import', 'f.bundle', '--since', '2026-01-01'], /--since goes with team export/],
      [['review'], /missing ACTION/],
      [['review', 'accept'], /review takes the action "decide", not "accept"/],
      [['review', 'decide', '--target', 'queue'], /--id N is required/],
      [['review', 'decide', '--id', '0', '--target', 'queue'], /--id must be a positive whole number, not "0"/],
      [['review', 'decide', '--id', '3'], /--target T is required/],
      [['review', 'decide', '--id', '3', '--target', 'queue', '--label', ' '], /--label needs a value/]
    ]
    const runs = await Promise.all(cases.map(([args]) => triage(...args)))
    runs.forEach((r, i) => {
      const [args, message] = cases[i]!
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr, args.join(' ')).toMatch(message)
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1)
      expect(r.stdout).toBe('')
    })
    expect(existsSync(DB)).toBe(false)
  }, 120_000)

  it('says what is wrong when the desktop is in no team or the URL is no PostgreSQL URL', async () => {
    const sync = await triage('team', 'sync', '--json')
    expect(sync.code).toBe(1)
    expect(JSON.parse(sync.stdout)).toMatchObject({ error: { code: 'TEAM_NOT_JOINED' } })
    expect(await triage('team', 'join', '--url', 'https://db.example.org/team')).toMatchObject({ code: 1, stderr: expect.stringMatching(/must start with postgres:\/\/.*\[BAD_REQUEST\]/) })
    const status = await triage('team', 'status', '--json')
    expect(status.code).toBe(0)
    expect(JSON.parse(status.stdout)).toMatchObject({ joined: false, toPush: { tickets: 0, decisions: 0 } })
    expect(await triage('review', 'decide', '--id', '3', '--target', 'queue', '--label', 'X')).toMatchObject({ code: 1, stderr: expect.stringMatching(/no longer exists.*\[NOT_FOUND\]/) })
  }, 120_000)
})
