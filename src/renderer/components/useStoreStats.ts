import { useCallback, useEffect, useState } from 'react'
import type { StoreStats } from '../../shared/domain.ts'
import { useConnectionState, useEngineEvent, useTriage } from '../api/TriageContext.tsx'

/** Ticket and import counts for the status bar and the first-run check; null until the engine answers. */
export function useStoreStats(): StoreStats | null {
  const api = useTriage()
  const connection = useConnectionState()
  const [stats, setStats] = useState<StoreStats | null>(null)
  const load = useCallback(() => {
    api
      .request('store.stats', {})
      .then(setStats)
      .catch(() => undefined)
  }, [api])
  useEffect(() => {
    if (connection === 'connected') load()
  }, [connection, load])
  useEngineEvent('data.changed', load)
  useEngineEvent('job.done', load)
  useEngineEvent('engine.restarted', load)
  return stats
}
