import type { StoreStats } from '../../shared/domain.ts'
import { useEngineQuery } from '../api/useEngineQuery.ts'

/** Ticket and import counts for the status bar and the first-run check; null until the engine answers. */
export function useStoreStats(): StoreStats | null {
  return useEngineQuery('store.stats', {}, { changes: 'any', jobs: 'any' }).data ?? null
}
