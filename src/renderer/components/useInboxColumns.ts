import { useCallback, useEffect, useState } from 'react'
import type { InboxColumns } from '../../shared/contract.ts'
import { useEngineEvent, useTriage } from '../api/TriageContext.tsx'

/** Label targets and filter values; refreshed when tickets change (an import adds targets and values). */
export function useInboxColumns(): InboxColumns | null {
  const api = useTriage()
  const [columns, setColumns] = useState<InboxColumns | null>(null)
  const load = useCallback(() => {
    api
      .request('tickets.columns', {})
      .then(setColumns)
      .catch(() => setColumns((c) => c ?? { fields: [], targets: [] }))
  }, [api])
  useEffect(load, [load])
  useEngineEvent('data.changed', (change) => change.what === 'tickets' && load())
  useEngineEvent('engine.restarted', load)
  return columns
}
