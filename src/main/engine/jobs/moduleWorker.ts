// Starts a worker thread whose entry point is an engine module. Bundled (the app), the module is a
// plain .js file and starts directly. As TypeScript (CLI, tests, browser host), a Worker neither
// inherits the parent's tsx loader nor accepts `--import` in execArgv, so a tiny bootstrap registers
// tsx first and then imports the module.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

export function startModuleWorker(moduleUrl: string, workerData: unknown): Worker {
  if (!moduleUrl.endsWith('.ts')) return new Worker(new URL(moduleUrl), { workerData })
  // The ESM entry of tsx/esm/api (require.resolve would pick its CommonJS one, which cannot register here).
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'))
  const tsx = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(moduleUrl)}) })`
  return new Worker(boot, { eval: true, workerData })
}
