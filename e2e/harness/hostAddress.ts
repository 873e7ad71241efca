import { tmpdir } from 'node:os'
import { join } from 'node:path'

// Where the e2e browser host listens. The token is fixed for tests only (TRIAGE_HOST_TOKEN); a real
// launch gets a random one. Config and workers each load this module, so nothing here may be random.
export const HOST_PORT = Number(process.env.TRIAGE_E2E_PORT ?? 47831)
export const HOST_TOKEN = process.env.TRIAGE_E2E_TOKEN ?? 'e2e-token-for-tests-only'
export const HOST_ORIGIN = `http://127.0.0.1:${HOST_PORT}`
/** The harness writes its pid here; specs signal it (SIGUSR2) to crash the engine on purpose. */
export const HOST_PID_FILE = join(tmpdir(), `triage-e2e-host-${HOST_PORT}.pid`)
/** A folder the e2e host allows model installs from (--model-source), besides the shared models. */
export const HOST_MODEL_SOURCE = join(tmpdir(), `triage-e2e-model-source-${HOST_PORT}`)
export const CHROMIUM = process.env.TRIAGE_CHROMIUM ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]
