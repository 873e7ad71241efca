import { useCallback, useEffect, useState } from 'react'
import type { ImportSummary } from '../../shared/domain.ts'
import { useEngineEvent, useTriage } from '../api/TriageContext.tsx'

/** Past imports, for filters; empty until the engine answers. */
export function useImportsList(): readonly ImportSummary[] {
  const api = useTriage()
  const [imports, setImports] = useState<readonly ImportSummary[]>([])
  const load = useCallback(() => {
    api
      .request('imports.list', {})
      .then(setImports)
      .catch(() => undefined)
  }, [api])
  useEffect(load, [load])
  useEngineEvent('data.changed', (change) => change.what === 'imports' && load())
  return imports
}
