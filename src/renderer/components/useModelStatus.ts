import type { ModelStatus } from '../../shared/models.ts'
import { useEngineQuery } from '../api/useEngineQuery.ts'

/** Embedders, execution provider and heads; asked again when models or settings change, or a model is trained or the tickets re-indexed. */
export function useModelStatus(): { status: ModelStatus | null; error: string | null } {
  const q = useEngineQuery('model.status', {}, { changes: ['models', 'settings'], jobs: ['train', 'index'] })
  return { status: q.data ?? null, error: q.error }
}
