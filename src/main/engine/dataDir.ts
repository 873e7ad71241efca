// Where a Triage Desk without Electron keeps its data: TRIAGE_DATA_DIR, else ~/.triage-desk.
// (The Electron app passes its userData folder instead.)
import { homedir } from 'node:os'
import { join } from 'node:path'

export function defaultDataDir(): string {
  return process.env['TRIAGE_DATA_DIR'] || join(homedir(), '.triage-desk')
}

export function defaultDbPath(): string {
  return process.env['TRIAGE_DB'] || join(defaultDataDir(), 'triage.sqlite')
}
