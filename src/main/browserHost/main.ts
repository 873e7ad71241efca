// CLI for the browser host:
//   node --import tsx src/main/browserHost/main.ts [--db PATH] [--port N] [--models DIR] [--model-source DIR …] [--open]
// Prints the URL with its per-launch token. TRIAGE_HOST_TOKEN fixes the token (tests only).
import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defaultDbPath } from '../engine/dataDir.ts'
import { startBrowserHost } from './server.ts'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name)
  return at >= 0 ? process.argv[at + 1] : undefined
}

/** Every value of a repeatable flag. */
function flags(name: string): string[] {
  return process.argv.flatMap((arg, at) => (arg === name && process.argv[at + 1] !== undefined ? [process.argv[at + 1]!] : []))
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open'
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url]
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true })
    // No desktop browser (a server, CI) is fine: the URL is printed anyway.
    child.on('error', () => {})
    child.unref()
  } catch {
    /* same: opening the browser is a convenience */
  }
}

const dbPath = resolve(flag('--db') ?? defaultDbPath())
mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 })
const portText = flag('--port') ?? process.env.TRIAGE_HOST_PORT ?? '0'
const port = Number(portText)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be 0–65535, got ${portText}`)
  process.exit(2)
}
// The data folder's models dir, where installs go; TRIAGE_MODELS_DIR (often a shared, read-only folder)
// is searched first anyway and is never written to.
const modelsDir = flag('--models')
// Folders a page may install model folders from, besides the data folder: what the operator named here,
// and TRIAGE_MODELS_DIR. A page cannot make the engine read any other folder on this machine.
const sharedModels = process.env.TRIAGE_MODELS_DIR
const modelSources = [...flags('--model-source').map((d) => resolve(d)), ...(sharedModels ? [resolve(sharedModels)] : [])]
const token = process.env.TRIAGE_HOST_TOKEN

const host = await startBrowserHost({
  dbPath,
  port,
  repoRoot: REPO_ROOT,
  rendererDir: resolve(flag('--renderer') ?? join(REPO_ROOT, 'out/renderer')),
  modelSources,
  ...(token ? { token } : {}),
  ...(modelsDir ? { modelsDir } : {})
})
console.log(`Triage Desk (browser host) — database ${dbPath}`)
console.log(`Open: ${host.url}`)
if (process.argv.includes('--open') && !process.argv.includes('--no-open')) openInBrowser(host.url)

let stopping = false
async function stop(): Promise<void> {
  if (stopping) return
  stopping = true
  await host.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
process.on('SIGHUP', () => void stop())
// Started by `npm start` with an IPC channel: when the launcher goes (killed, crashed), so do we.
if (process.send) process.on('disconnect', () => void stop())
