import type { ModelSummary } from '../../shared/models.ts'
import { useEngineQuery } from '../api/useEngineQuery.ts'

const NONE: readonly ModelSummary[] = []

/** Every trained head (all versions), asked again when models change or a training job ends. Empty until the engine answers. */
export function useModelList(): { models: readonly ModelSummary[]; error: string | null } {
  const q = useEngineQuery('model.list', {}, { changes: ['models'], jobs: ['train'] })
  return { models: q.data ?? NONE, error: q.error }
}

/** Targets that have an active head, in the order the engine lists them. */
export function activeTargets(models: readonly ModelSummary[]): string[] {
  return [...new Set(models.filter((m) => m.active).map((m) => m.target))]
}
