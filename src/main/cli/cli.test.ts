import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COMMANDS } from './commandSpecs.ts'

// The real `triage` binary in a child process, on CSV files written here, as a user's shell runs it:
// exit codes, what reaches stdout and stderr, and that nothing but one line comes back for a mistake.
const ROOT = resolve(import.meta.dirname, '../../..')
const dir = mkdtempSync(join(tmpdir(), 'triage-cli-'))
const DB = join(dir, 'data', 'triage.sqlite')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Run {
  code: number
  stdout: string
  stderr: string
}

async function triage(...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(ROOT, 'bin/triage.mjs'), ...args], { cwd: dir, env: { ...process.env, TRIAGE_DB: DB } })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

function csv(name: string, lines: readonly string[]): string {
  const path = join(dir, name)
  writeFileSync(path, `${lines.join('\n')}\n`)
  return path
}

/** A usage error: exit 2, one line on stderr naming the command's help, no stack trace. */
function expectUsageError(r: Run, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2)
  expect(r.stderr).toMatch(message)
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1)
  expect(r.stderr).toMatch(/\(see triage .*--help\)\n$/)
  expect(r.stderr).not.toMatch(/\n\s+at /)
  expect(r.stdout).toBe('')
}

const HOSTILE_SUBJECT = '\u001b[2J\u001b[31mRED\u001b]0;pwned\u0007 alert\u009b1m'

describe('triage --help', () => {
  it('lists every command, and each command prints its own usage and options', async () => {
    const main = await triage('--help')
    expect(main.code).toBe(0)
    for (const name of COMMANDS.keys()) expect(main.stdout).toMatch(new RegExp(`\\n  ${name} `))
    const helps = await Promise.all([...COMMANDS.keys()].map(async (name) => [name, await triage(name, '--help')] as const))
    for (const [name, r] of helps) {
      expect(r.code, name).toBe(0)
      expect(r.stdout, name).toMatch(new RegExp(`^Usage: triage ${name}`))
      for (const option of Object.keys(COMMANDS.get(name)!.options)) expect(r.stdout, `${name} --${option}`).toContain(`--${option}`)
    }
    expect((await triage('help', 'tickets')).stdout).toBe(helps.find(([n]) => n === 'tickets')![1].stdout)
    // -h works too, and wins over a mistake elsewhere on the line.
    expect(await triage('tickets', '--bogus', '-h')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: triage tickets/) })
  }, 120_000)

  it('exits 2 with the overview on stderr when no command is given', async () => {
    const r = await triage()
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^Usage: triage COMMAND/)
  })
})

describe('triage usage errors', () => {
  it('an unknown command or option, a missing or stray argument, a bad number: one line, exit 2', async () => {
    const [command, option, value, flag, stray, missing, limit, id, k] = await Promise.all([
      triage('frobnicate'),
      triage('tickets', '--colour', 'red'),
      triage('tickets', '--limit'),
      triage('stats', '--json=yes'),
      triage('stats', 'extra'),
      triage('import'),
      triage('tickets', '--limit', 'ten'),
      triage('errors', '0'),
      triage('similar', '--text', 'vpn', '--k', '500')
    ])
    expectUsageError(command, /^triage: unknown command "frobnicate"/)
    expectUsageError(option, /^triage tickets: unknown option --colour /)
    expectUsageError(value, /^triage tickets: --limit needs a value /)
    expectUsageError(flag, /^triage stats: --json takes no value /)
    expectUsageError(stray, /^triage stats: unexpected argument "extra" /)
    expectUsageError(missing, /^triage import: missing FILE /)
    expectUsageError(limit, /^triage tickets: --limit must be a whole number from 1 to 1000, not "ten" /)
    expectUsageError(id, /^triage errors: IMPORT_ID must be a positive whole number, not "0" /)
    expectUsageError(k, /^triage similar: --k must be a whole number from 1 to 50, not "500" /)
  }, 60_000)

  it('checks --encoding and --delimiter against the values the engine allows', async () => {
    const file = csv('any.csv', ['id,subject', '1,x'])
    const [encoding, delimiter] = await Promise.all([triage('import', file, '--encoding', 'latin9'), triage('import', file, '--delimiter', ':')])
    expectUsageError(encoding, /^triage import: --encoding must be one of utf-8, utf-16le, utf-16be, windows-1252, iso-8859-1, not "latin9" /)
    expectUsageError(delimiter, /^triage import: --delimiter must be one of ",", ";", tab, "\|", not ":" /)
  }, 60_000)

  it('--sort and --filter must name a column', async () => {
    const [sort, filter] = await Promise.all([triage('tickets', '--sort', 'colour:asc'), triage('tickets', '--filter', 'confidence:queue=0.9')])
    expectUsageError(sort, /^triage tickets: --sort needs COL\[:asc\|desc\] .* not "colour:asc" /)
    expectUsageError(filter, /^triage tickets: --filter needs COL=VALUE .* not "confidence:queue=0.9" /)
  }, 60_000)

  it('a mistake with --json also leaves one JSON error on stdout', async () => {
    const r = await triage('tickets', '--limit', 'ten', '--json')
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'USAGE', message: '--limit must be a whole number from 1 to 1000, not "ten"' } })
  })
})

describe('triage tickets', () => {
  beforeAll(async () => {
    const file = csv('tickets.tsv', [
      'id\tsubject\tbody\tcreated\tqueue',
      '1\tVPN down\tthe vpn does not connect\t2024-01-01\tNetwork',
      '2\tPrinter jam\t100% of pages jam\t2024-01-02\tHardware',
      `3\t${HOSTILE_SUBJECT}\tstrange ticket\t2024-01-03\tBilling`,
      '4\tVPN slow\tvpn slow at home\t2024-01-04\tAccess'
    ])
    // `tab` stands for the tab a shell cannot easily pass.
    const imported = await triage('import', file, '--delimiter', 'tab', '--encoding', 'utf-8')
    expect(imported.code, imported.stderr).toBe(0)
    expect(imported.stdout).toMatch(/delimiter "\\t"\): done\nread 4 {2}imported 4/)
  }, 60_000)

  it('sorts by a label target, COL:DIR with a colon in COL', async () => {
    const ids = async (...args: string[]): Promise<string[]> => (JSON.parse((await triage('tickets', '--json', ...args)).stdout) as { rows: { externalId: string }[] }).rows.map((r) => r.externalId)
    const [asc, desc, bare, created] = await Promise.all([ids('--sort', 'label:queue:asc'), ids('--sort', 'label:queue:desc'), ids('--sort', 'label:queue'), ids('--sort', 'created:asc')])
    expect(asc).toEqual(['4', '3', '2', '1'])
    expect(desc).toEqual(['1', '2', '3', '4'])
    expect(bare).toEqual(desc)
    expect(created).toEqual(['1', '2', '3', '4'])
    const human = await triage('tickets', '--sort', 'label:queue:asc')
    expect(human.stdout.split('\n').slice(2, 6).map((l) => l.split(/\s+/)[0])).toEqual(['4', '3', '2', '1'])
  }, 60_000)

  it('prints ticket text without escape sequences or control characters', async () => {
    const [human, json] = await Promise.all([triage('tickets', '--filter', 'externalId=3'), triage('tickets', '--filter', 'externalId=3', '--json')])
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/\n3 +3 +2024-01-03 +Billing +RED alert\n/)
    expect(human.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
    // JSON keeps the text as it is: JSON.stringify escapes the controls, and a program may want them.
    expect(json.stdout).not.toContain('\u001b')
    expect((JSON.parse(json.stdout) as { rows: { subject: string }[] }).rows[0]!.subject).toBe(HOSTILE_SUBJECT)
  }, 60_000)

  it('a search of only punctuation matches nothing; a word finds its tickets', async () => {
    const total = async (search: string): Promise<number> => (JSON.parse((await triage('tickets', '--json', '--search', search)).stdout) as { total: number }).total
    const [percent, star, bang, underscore, vpn, percentAfterWord] = await Promise.all([total('%'), total('*'), total('!!!'), total('_'), total('vpn'), total('100%')])
    expect({ percent, star, bang, underscore }).toEqual({ percent: 0, star: 0, bang: 0, underscore: 0 })
    expect(vpn).toBe(2)
    expect(percentAfterWord).toBe(1)
    expect((await triage('tickets', '--search', '%')).stdout).toMatch(/^0 tickets\n/)
  }, 60_000)
})

describe('triage eval', () => {
  it('an empty test set, or one with no labels, is one clear line and a non-zero exit', async () => {
    const train = csv('train.csv', ['text,queue', ...Array.from({ length: 20 }, (_, i) => `ticket ${i} about ${i % 2 ? 'vpn' : 'printer'},${i % 2 ? 'Network' : 'Hardware'}`)])
    const empty = csv('empty.csv', ['text,queue'])
    const unlabelled = csv('unlabelled.csv', ['text,queue', 'vpn is down,', 'printer jam,'])
    const [none, noLabels] = await Promise.all([
      triage('eval', '--train', train, '--test', empty, '--target', 'queue', '--embedder', 'none', '--json'),
      triage('eval', '--train', train, '--test', unlabelled, '--target', 'queue', '--embedder', 'none')
    ])
    expect(none.code).toBe(1)
    expect(none.stdout).toBe('')
    expect(none.stderr).toMatch(/\ntriage eval: test set .*empty\.csv has no rows: nothing to evaluate\n$/)
    expect(noLabels.code).toBe(1)
    expect(noLabels.stdout).not.toMatch(/NaN/)
    expect(noLabels.stderr).toMatch(/\ntriage eval: test set .*unlabelled\.csv has no rows with a queue label: nothing to evaluate\n$/)
  }, 60_000)
})
