// better-sqlite3 for Electron's ABI, beside the Node build. better-sqlite3 is a V8-API addon: the build `npm ci`
// makes for Node (ABI 115 on Node 20) does not load in Electron 45 (ABI 140), so the engine's utilityProcess
// could not open the database. This makes a second build in build/electron/better_sqlite3.node, which
// Electron's main passes to the engine (TRIAGE_SQLITE_BINDING → better-sqlite3's nativeBinding); the Node
// build stays for the CLI, the tests and the browser host.
//   1. the prebuilt binary for the installed Electron version (prebuild-install, as better-sqlite3's own
//      install does for Node), else
//   2. a build from source against Electron's headers (node-gyp through npm, which needs a C++ toolchain).
// Both need the network once; offline it says so and the desktop app is not startable until it is done.
import { spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
export const ELECTRON_SQLITE = join(ROOT, 'build/electron/better_sqlite3.node')

function packageDir(name) {
  return dirname(createRequire(join(ROOT, 'package.json')).resolve(`${name}/package.json`))
}

/** @returns {{ ok: boolean, message: string }} */
export function ensureElectronSqlite({ force = false } = {}) {
  const electronVersion = JSON.parse(readFileSync(join(packageDir('electron'), 'package.json'), 'utf8')).version
  const stamp = `${ELECTRON_SQLITE}.electron-${electronVersion}`
  if (!force && existsSync(ELECTRON_SQLITE) && existsSync(stamp)) return { ok: true, message: `better-sqlite3 for Electron ${electronVersion} is built` }

  // Work on a copy, so the Node build in node_modules is never touched.
  const work = mkdtempSync(join(tmpdir(), 'triage-electron-sqlite-'))
  try {
    const copy = join(work, 'better-sqlite3')
    cpSync(packageDir('better-sqlite3'), copy, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) })
    const built = join(copy, 'build/Release/better_sqlite3.node')
    const target = ['--runtime', 'electron', '--target', electronVersion, '--arch', process.arch, '--platform', process.platform]
    const prebuilt = spawnSync(process.execPath, [join(packageDir('prebuild-install'), 'bin.js'), ...target], { cwd: copy, stdio: 'inherit' })
    if (prebuilt.status !== 0 || !existsSync(built)) {
      console.log(`No prebuilt better-sqlite3 for Electron ${electronVersion}; building it against Electron's headers…`)
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
      spawnSync(npm, ['run', 'build-release'], {
        cwd: copy,
        stdio: 'inherit',
        shell: process.platform === 'win32',
        env: { ...process.env, npm_config_runtime: 'electron', npm_config_target: electronVersion, npm_config_disturl: 'https://electronjs.org/headers' }
      })
    }
    if (!existsSync(built)) {
      return { ok: false, message: `Could not get better-sqlite3 for Electron ${electronVersion} (no network, or no C++ toolchain). Run \`node scripts/electronSqlite.mjs\` where both are available.` }
    }
    mkdirSync(dirname(ELECTRON_SQLITE), { recursive: true })
    copyFileSync(built, ELECTRON_SQLITE)
    copyFileSync(built, stamp)
    return { ok: true, message: `built better-sqlite3 for Electron ${electronVersion} in ${ELECTRON_SQLITE}` }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = ensureElectronSqlite({ force: process.argv.includes('--force') })
  console.log(result.message)
  process.exit(result.ok ? 0 : 1)
}
