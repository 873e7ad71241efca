import type { ImportSummary } from '../../shared/domain.ts'
import { useEngineQuery } from '../api/useEngineQuery.ts'

const NONE: readonly ImportSummary[] = []

/** Past imports, for filters; empty until the engine answers. */
export function useImportsList(): readonly ImportSummary[] {
  return useEngineQuery('imports.list', {}, { changes: ['imports'] }).data ?? NONE
}
