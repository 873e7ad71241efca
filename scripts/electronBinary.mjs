// Where the Electron binary is, or null when this install has none (offline machines: electron's
// postinstall never ran, so there is no path.txt). Never `require('electron')` to find out: that runs
// its installer, which tries to download and exits 1.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** @returns {string | null} */
export function electronBinary() {
  let packageDir
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  } catch {
    return null
  }
  const pathFile = join(packageDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const relative = readFileSync(pathFile, 'utf8').trim()
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist')
  const binary = join(dist, relative)
  return relative && existsSync(binary) ? binary : null
}
