#!/usr/bin/env node
// `npm start`: build if needed, then run the Electron app; where no Electron binary exists (offline or
// locked-down machines) run the browser host instead, print its URL and open the user's browser.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { electronBinary } from './electronBinary.mjs'
import { ensureElectronSqlite } from './electronSqlite.mjs'
import { buildIfStale } from './rendererBuild.mjs'

const ROOT = resolve(import.meta.dirname, '..')

buildIfStale()

const electron = usableElectron()
const child = electron
  ? spawn(electron, [ROOT, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' })
  : startBrowserHost()

/** Electron, when its binary is installed and the database driver is built for it; else null (browser host). */
function usableElectron() {
  const binary = electronBinary()
  if (!binary) return null
  const sqlite = ensureElectronSqlite()
  console.log(sqlite.message)
  return sqlite.ok ? binary : null
}

function startBrowserHost() {
  const dataDir = process.env.TRIAGE_DATA_DIR ?? join(homedir(), '.triage-desk')
  console.log('No Electron binary here; starting the browser host instead (Ctrl+C stops it).')
  // The IPC channel is the host's lifeline: when this process goes, however it goes, the host sees the
  // channel close and stops (and its engine with it).
  return spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main/browserHost/main.ts', '--db', join(dataDir, 'triage.sqlite'), '--open', ...process.argv.slice(2)],
    { cwd: ROOT, stdio: ['inherit', 'inherit', 'inherit', 'ipc'] }
  )
}

let stopping = false
function stop(signal) {
  if (stopping) return
  stopping = true
  child.kill(signal)
  // A child that ignores the signal must not keep `npm start` alive forever.
  setTimeout(() => child.kill('SIGKILL'), 10_000).unref()
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal === 'SIGHUP' ? 'SIGTERM' : signal))
// A signal to npm does not always reach us: npm runs us under `sh -c`, and a `kill -9` of npm leaves that
// shell waiting on us. Whoever started us is gone when our parent, or (on Linux, where /proc tells) the
// shell's parent, changes: stop then.
const ancestors = [process.ppid, parentOf(process.ppid)]
setInterval(() => {
  if (process.ppid !== ancestors[0] || (ancestors[1] !== null && parentOf(process.ppid) !== ancestors[1])) stop('SIGTERM')
}, 500).unref()

function parentOf(pid) {
  try {
    // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  } catch {
    return null
  }
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
