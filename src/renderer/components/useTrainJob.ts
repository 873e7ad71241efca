// Follows one training job of the Models page.
import { useCallback } from 'react'
import type { TrainSummary } from '../../shared/models.ts'
import { useTriage } from '../api/TriageContext.tsx'
import { useEngineJob, type EngineJobState } from './useEngineJob.ts'

export type TrainJobState = EngineJobState<TrainSummary>

export function useTrainJob() {
  const api = useTriage()
  const request = useCallback((target: string, embedder: string) => api.request('model.train', { target, embedder }), [api])
  return useEngineJob('train', request)
}
