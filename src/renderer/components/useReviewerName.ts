// The reviewer name decisions are recorded under (settings.reviewerName), kept current when any window or
// the CLI changes it. `named` is false while it is still the install's default: the audit trail's "who"
// would say "reviewer", so the Review page asks for a real name before the first decision.
import { useCallback, useEffect, useState } from 'react'
import { DEFAULT_REVIEWER_NAME } from '../../shared/review.ts'
import { describeError } from '../api/describeError.ts'
import { useEngineEvent, useTriage } from '../api/TriageContext.tsx'

export function useReviewerName() {
  const api = useTriage()
  const [name, setName] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(() => {
    api
      .request('settings.get', {})
      .then((s) => {
        setName(s.reviewerName)
        setError(null)
      })
      .catch((err: unknown) => setError(describeError(err)))
  }, [api])
  useEffect(load, [load])
  useEngineEvent('data.changed', (change) => change.what === 'settings' && load())
  useEngineEvent('engine.restarted', load)

  /** Saves the name; resolves to the saved one (the engine trims nothing, so it is what was given). */
  const save = useCallback(
    async (next: string): Promise<string> => {
      const s = await api.request('settings.set', { reviewerName: next })
      setName(s.reviewerName)
      return s.reviewerName
    },
    [api]
  )

  return { name, named: name !== null && name !== DEFAULT_REVIEWER_NAME, error, save }
}
