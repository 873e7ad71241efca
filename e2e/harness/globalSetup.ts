// The harness drives Debian's Chromium (Playwright's own build cannot be downloaded here). Install it
// when missing and we may (root on Debian); otherwise say exactly what to run.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { CHROMIUM } from './hostAddress.ts'

export default function globalSetup(): void {
  if (existsSync(CHROMIUM)) return
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && CHROMIUM === '/usr/bin/chromium') {
    console.log('Installing Chromium (apt-get install -y chromium)…')
    execFileSync('apt-get', ['update'], { stdio: 'inherit' })
    execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit' })
    if (existsSync(CHROMIUM)) return
  }
  throw new Error(`No Chromium at ${CHROMIUM}. Install it (sudo apt-get install -y chromium) or set TRIAGE_CHROMIUM.`)
}
