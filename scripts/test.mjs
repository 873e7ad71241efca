#!/usr/bin/env node
// `npm test`: typecheck, unit tests (Vitest, real SQLite and real models), then the renderer build and the
// end-to-end specs (Playwright in Chromium against the real engine). Chromium comes from the system; where
// it is missing and we may install packages, it is installed from Debian's archive.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
// The shared models beside the checkout, as CI lays them out; a fresh clone has none, and then the
// variable stays unset (pointing it at a missing folder would hide that): the tests that need the real
// models skip and say so, the rest run on the test encoder.
const sharedModels = resolve(root, '../shared/models')
if (!process.env.TRIAGE_MODELS_DIR && existsSync(sharedModels)) process.env.TRIAGE_MODELS_DIR = sharedModels

function run(label, cmd, args) {
  console.log(`\n▶ ${label}: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env })
  if (r.status !== 0) {
    console.error(`✗ ${label} failed (exit ${r.status ?? r.signal})`)
    process.exit(r.status || 1)
  }
}

function ensureChromium() {
  const path = process.env.TRIAGE_CHROMIUM ?? '/usr/bin/chromium'
  if (existsSync(path)) return
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    run('install Chromium', 'bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'])
    return
  }
  console.error(`Chromium is missing at ${path}. Install it (Debian/Ubuntu: sudo apt-get install chromium) or set TRIAGE_CHROMIUM.`)
  process.exit(1)
}

run('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'])
run('unit tests', 'npx', ['vitest', 'run'])
run('build', 'npx', ['electron-vite', 'build'])
if (existsSync(resolve(root, 'playwright.config.ts'))) {
  ensureChromium()
  run('end-to-end tests', 'npx', ['playwright', 'test'])
}
console.log('\n✓ all tests passed')
