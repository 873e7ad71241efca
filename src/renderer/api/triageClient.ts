// What the renderer holds: the contract's TriageApi plus what the UI needs to know about the transport
// itself (which file picker to show, whether the link to the engine is up). Transports implement it.
import type { TriageApi } from '../../shared/contract.ts'

export type ConnectionState = 'connecting' | 'connected' | 'disconnected'

export interface TriageClient {
  readonly api: TriageApi
  /** Electron shows a native dialog; the browser host needs an <input type="file"> and an upload. */
  readonly transport: 'electron' | 'browser'
  connection(): ConnectionState
  onConnection(listener: (state: ConnectionState) => void): () => void
}
