#!/usr/bin/env node
// `npm start`: build if needed, then run the Electron app; where no Electron binary exists (offline or
// locked-down machines) run the browser host instead, print its URL and open the user's browser.
import { spawn } from 'node:child_process'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { electronBinary } from './electronBinary.mjs'
import { buildIfStale } from './rendererBuild.mjs'

const ROOT = resolve(import.meta.dirname, '..')

buildIfStale()

const electron = electronBinary()
const child = electron
  ? spawn(electron, [ROOT, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' })
  : startBrowserHost()

function startBrowserHost() {
  const dataDir = process.env.TRIAGE_DATA_DIR ?? join(homedir(), '.triage-desk')
  console.log('No Electron binary here; starting the browser host instead (Ctrl+C stops it).')
  return spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main/browserHost/main.ts', '--db', join(dataDir, 'triage.sqlite'), '--open', ...process.argv.slice(2)],
    { cwd: ROOT, stdio: 'inherit' }
  )
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
