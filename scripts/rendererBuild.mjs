// Builds with electron-vite when out/renderer is missing or older than the sources, so `npm start`
// and the e2e harness never serve a stale UI (a full build takes a few seconds).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')

function newestMtime(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name)
    const time = entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs
    if (time > newest) newest = time
  }
  return newest
}

/** @returns {boolean} whether the output is up to date (true) or a build was needed */
export function rendererIsFresh() {
  const built = join(ROOT, 'out/renderer/index.html')
  if (!existsSync(built) || !existsSync(join(ROOT, 'out/main/index.js')) || !existsSync(join(ROOT, 'out/preload/index.cjs'))) return false
  const sources = Math.max(newestMtime(join(ROOT, 'src/renderer')), newestMtime(join(ROOT, 'src/preload')), newestMtime(join(ROOT, 'src/shared')), newestMtime(join(ROOT, 'src/main')))
  return statSync(built).mtimeMs >= sources
}

export function buildIfStale() {
  if (rendererIsFresh()) return
  console.log('Building the app (electron-vite build)…')
  const cli = join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js')
  const result = spawnSync(process.execPath, [existsSync(cli) ? cli : join(ROOT, 'node_modules/.bin/electron-vite'), 'build'], { cwd: ROOT, stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`electron-vite build failed (exit ${result.status})`)
}
