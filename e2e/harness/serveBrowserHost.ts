// Playwright's webServer: build the app if stale, then run the browser host on a fresh temporary
// database with the test token. Removes the temporary data dir when Playwright stops it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildIfStale } from '../../scripts/rendererBuild.mjs'
import { startBrowserHost } from '../../src/main/browserHost/server.ts'
import { HOST_MODEL_SOURCE, HOST_PID_FILE, HOST_PORT, HOST_TOKEN } from './hostAddress.ts'

const ROOT = resolve(import.meta.dirname, '../..')
buildIfStale()

const dataDir = mkdtempSync(join(tmpdir(), 'triage-e2e-'))
mkdirSync(HOST_MODEL_SOURCE, { recursive: true })
const host = await startBrowserHost({
  modelSources: [resolve(process.env.TRIAGE_MODELS_DIR ?? join(ROOT, '../shared/models')), HOST_MODEL_SOURCE],
  dbPath: join(dataDir, 'triage.sqlite'),
  port: HOST_PORT,
  token: HOST_TOKEN,
  repoRoot: ROOT,
  rendererDir: join(ROOT, 'out/renderer')
})
console.log(`e2e browser host on ${host.url} (data in ${dataDir})`)

// Test hook: SIGUSR2 kills the engine child as a crash would, so a spec can watch the restart.
writeFileSync(HOST_PID_FILE, String(process.pid))
process.on('SIGUSR2', () => {
  const pid = host.engine.pid
  if (pid !== undefined) process.kill(pid, 'SIGKILL')
})

let stopping = false
async function stop(): Promise<void> {
  if (stopping) return
  stopping = true
  await host.close()
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(HOST_PID_FILE, { force: true })
  rmSync(HOST_MODEL_SOURCE, { recursive: true, force: true })
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())
