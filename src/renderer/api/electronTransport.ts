// TriageApi over preload's `window.triage`. Errors cross contextBridge as plain shapes (it drops
// custom fields from Error objects), so they are turned back into EngineError here.
import type { EngineErrorShape, TriageApi } from '../../shared/contract.ts'
import { EngineError } from '../../shared/errors.ts'
import type { TriageClient } from './triageClient.ts'

declare global {
  interface Window {
    /** Present only in Electron, put there by preload. */
    readonly triage?: TriageApi
  }
}

function toEngineError(err: unknown): EngineError {
  if (err instanceof EngineError) return err
  if (typeof err === 'object' && err !== null && 'code' in err && 'message' in err) {
    return EngineError.from(err as EngineErrorShape)
  }
  return new EngineError('INTERNAL', String(err))
}

export function electronClient(bridge: TriageApi): TriageClient {
  const api: TriageApi = {
    request: (method, params) => bridge.request(method, params).catch((err: unknown) => Promise.reject(toEngineError(err))),
    onEvent: (event, listener) => bridge.onEvent(event, listener),
    pickCsvFile: () => bridge.pickCsvFile(),
    pickModelFolder: () => bridge.pickModelFolder?.() ?? Promise.resolve(null)
  }
  return {
    api,
    transport: 'electron',
    // The MessagePort is handed over by main and survives engine restarts (main replaces it).
    connection: () => 'connected',
    onConnection: () => () => {}
  }
}
