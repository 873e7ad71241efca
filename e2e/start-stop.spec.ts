// `npm start` stops cleanly: a SIGTERM to npm, or even a kill -9 of it, ends the launcher, the browser host
// and the engine, instead of leaving a host holding the port and an engine holding the database.
import { expect, test } from '@playwright/test'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')

/** Every process below `pid`, from /proc (Linux). */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = []
  const walk = (p: number): void => {
    for (const [child, parent] of parentOf) if (parent === p) out.push(child), walk(child)
  }
  walk(pid)
  return out
}

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  test(`npm start ends its host and engine on ${signal} to npm`, async () => {
    test.skip(process.platform !== 'linux', 'reads the process tree from /proc')
    test.setTimeout(120_000)
    const dataDir = mkdtempSync(join(tmpdir(), 'triage-e2e-start-'))
    const npm = spawn('npm', ['start', '--', '--no-open'], { cwd: ROOT, env: { ...process.env, TRIAGE_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      let log = ''
      await new Promise<void>((resolveUp, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed:\n${log}`)), 90_000)
        const on = (d: Buffer): void => {
          log += d.toString()
          if (log.includes('Open: http://127.0.0.1:')) {
            clearTimeout(timer)
            resolveUp()
          }
        }
        npm.stdout.on('data', on)
        npm.stderr.on('data', on)
      })
      // Wait until the engine child is up too, so the tree is whole: npm → sh → start.mjs → host → engine.
      await expect.poll(() => descendants(npm.pid!).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(4)
      const tree = descendants(npm.pid!)
      npm.kill(signal)
      await expect.poll(() => tree.filter(alive), { timeout: 20_000 }).toEqual([])
    } finally {
      npm.kill('SIGKILL')
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
}
