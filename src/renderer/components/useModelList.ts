import { useCallback, useEffect, useState } from 'react'
import type { ModelSummary } from '../../shared/models.ts'
import { useEngineEvent, useTriage } from '../api/TriageContext.tsx'

/** Every trained head (all versions), reloaded when models change or a training job ends. Empty until the engine answers. */
export function useModelList(): { models: readonly ModelSummary[]; error: string | null; reload: () => void } {
  const api = useTriage()
  const [models, setModels] = useState<readonly ModelSummary[]>([])
  const [error, setError] = useState<string | null>(null)
  const reload = useCallback(() => {
    api
      .request('model.list', {})
      .then((list) => {
        setModels(list)
        setError(null)
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
  }, [api])
  useEffect(reload, [reload])
  useEngineEvent('data.changed', (change) => change.what === 'models' && reload())
  useEngineEvent('job.done', (done) => done.kind === 'train' && reload())
  useEngineEvent('engine.restarted', reload)
  return { models, error, reload }
}

/** Targets that have an active head, in the order the engine lists them. */
export function activeTargets(models: readonly ModelSummary[]): string[] {
  return [...new Set(models.filter((m) => m.active).map((m) => m.target))]
}
