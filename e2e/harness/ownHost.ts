// A browser host of a spec's own, on its own database in a fresh temporary folder, with no embedding
// model in reach at start (TRIAGE_MODELS_DIR points at an empty folder while the engine is forked; the
// child copies the environment then). Models installed during the spec go to `<dataDir>/models`.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Method, Params, Result } from '../../src/shared/contract.ts'
import { startBrowserHost, type BrowserHost } from '../../src/main/browserHost/server.ts'
import { HOST_TOKEN } from './hostAddress.ts'

const ROOT = resolve(import.meta.dirname, '../..')

export interface OwnHost {
  readonly host: BrowserHost
  readonly dataDir: string
  /** The page URL with the token. */
  readonly url: string
  close(): Promise<void>
}

export async function startOwnHostWithoutModels(prefix: string): Promise<OwnHost> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix))
  const noModels = join(dataDir, 'no-models')
  mkdirSync(noModels)
  const saved = process.env.TRIAGE_MODELS_DIR
  process.env.TRIAGE_MODELS_DIR = noModels
  let host: BrowserHost
  try {
    host = await startBrowserHost({
      dbPath: join(dataDir, 'triage.sqlite'),
      port: 0,
      token: HOST_TOKEN,
      repoRoot: ROOT,
      rendererDir: join(ROOT, 'out/renderer'),
      // Specs install from the shared models (and from folders they make in the data folder, allowed anyway).
      modelSources: [resolve(saved ?? join(ROOT, '../shared/models'))]
    })
  } finally {
    if (saved === undefined) delete process.env.TRIAGE_MODELS_DIR
    else process.env.TRIAGE_MODELS_DIR = saved
  }
  return {
    host,
    dataDir,
    url: new URL(`/?token=${HOST_TOKEN}`, host.url).href,
    async close() {
      await host.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

/** A typed engine request through a host's engine child, failing the test with the engine's error. */
export async function engineCall<M extends Method>(host: BrowserHost, method: M, params: Params<M>): Promise<Result<M>> {
  const response = await host.engine.request(method, params)
  if (!response.ok) throw new Error(`${method}: ${response.error.code} ${response.error.message}`)
  return response.result as Result<M>
}
