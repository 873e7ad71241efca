import { useCallback, useEffect, useState } from 'react'
import type { ModelStatus } from '../../shared/models.ts'
import { describeError } from '../api/describeError.ts'
import { useConnectionState, useEngineEvent, useTriage } from '../api/TriageContext.tsx'

/** Embedders, execution provider and heads; reloaded when models or settings change. */
export function useModelStatus(): { status: ModelStatus | null; error: string | null } {
  const api = useTriage()
  const connection = useConnectionState()
  const [status, setStatus] = useState<ModelStatus | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = useCallback(() => {
    api
      .request('model.status', {})
      .then((s) => {
        setStatus(s)
        setError(null)
      })
      .catch((err: unknown) => setError(describeError(err)))
  }, [api])
  useEffect(() => {
    if (connection === 'connected') load()
  }, [connection, load])
  useEngineEvent('data.changed', (change) => (change.what === 'models' || change.what === 'settings') && load())
  useEngineEvent('job.done', (done) => (done.kind === 'train' || done.kind === 'index') && load())
  useEngineEvent('engine.restarted', load)
  return { status, error }
}
