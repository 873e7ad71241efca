// Follows one import job; a cancelled import still ends with job.done (status "cancelled") carrying the
// rows imported so far.
import { useCallback } from 'react'
import type { Params } from '../../shared/contract.ts'
import type { ImportSummary } from '../../shared/domain.ts'
import { useTriage } from '../api/TriageContext.tsx'
import { useEngineJob, type EngineJobState } from './useEngineJob.ts'

export type ImportJobState = EngineJobState<ImportSummary>

export function useImportJob() {
  const api = useTriage()
  const request = useCallback((params: Params<'import.start'>) => api.request('import.start', params), [api])
  return useEngineJob('import', request)
}
