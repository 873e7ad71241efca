// Evaluation figures depend on labels (reviews, imports) and on models (training, activation).
import type { Method, Params } from '../../../shared/contract.ts'
import { useEngineQuery, type EngineQuery } from '../../api/useEngineQuery.ts'

export function useEvaluationQuery<M extends Method>(method: M, params: Params<M> | null): EngineQuery<M> {
  return useEngineQuery(method, params, { changes: ['labels', 'models'], jobs: ['train'] })
}
