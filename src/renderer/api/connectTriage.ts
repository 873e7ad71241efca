import { electronClient } from './electronTransport.ts'
import type { TriageClient } from './triageClient.ts'
import { websocketClient } from './websocketTransport.ts'

/** One TriageApi per transport: preload's bridge in Electron, the WebSocket bridge in a browser. */
export function connectTriage(): TriageClient {
  return window.triage ? electronClient(window.triage) : websocketClient(window.location)
}
