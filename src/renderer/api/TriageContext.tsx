// React access to the engine: the client via context, plus hooks for events and connection state.
import { createContext, useContext, useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react'
import type { EventMap, EventName, TriageApi } from '../../shared/contract.ts'
import type { ConnectionState, TriageClient } from './triageClient.ts'

const TriageContext = createContext<TriageClient | null>(null)

export function TriageProvider({ client, children }: { client: TriageClient; children: ReactNode }) {
  return <TriageContext.Provider value={client}>{children}</TriageContext.Provider>
}

export function useTriageClient(): TriageClient {
  const client = useContext(TriageContext)
  if (!client) throw new Error('useTriageClient outside <TriageProvider>')
  return client
}

export function useTriage(): TriageApi {
  return useTriageClient().api
}

/** Subscribes for the component's life; the latest listener is always called (no stale closures). */
export function useEngineEvent<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): void {
  const api = useTriage()
  const latest = useRef(listener)
  latest.current = listener
  useEffect(() => api.onEvent(event, (payload) => latest.current(payload)), [api, event])
}

export function useConnectionState(): ConnectionState {
  const client = useTriageClient()
  return useSyncExternalStore(client.onConnection, client.connection)
}
