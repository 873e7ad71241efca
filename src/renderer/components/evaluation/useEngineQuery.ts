// One engine request whose answer the page shows, reloaded when labels or models change. `params: null`
// means "nothing to ask yet". Answers to a superseded request are dropped, so a quick change of target
// never shows the previous target's figures.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Method, Params, Result } from '../../../shared/contract.ts'
import { describeError } from '../../api/describeError.ts'
import { useEngineEvent, useTriage } from '../../api/TriageContext.tsx'

export interface EngineQuery<M extends Method> {
  readonly data: Result<M> | undefined
  readonly error: string | null
  readonly loading: boolean
}

export function useEngineQuery<M extends Method>(method: M, params: Params<M> | null): EngineQuery<M> {
  const api = useTriage()
  const key = params === null ? null : JSON.stringify(params)
  const [state, setState] = useState<EngineQuery<M> & { key: string | null }>({ data: undefined, error: null, loading: false, key: null })
  const asked = useRef(0)

  const load = useCallback(() => {
    const ticket = ++asked.current
    if (key === null) {
      setState({ data: undefined, error: null, loading: false, key })
      return
    }
    setState((old) => ({ ...old, loading: true, error: null, ...(old.key === key ? {} : { data: undefined, key }) }))
    api
      .request(method, JSON.parse(key) as Params<M>)
      .then((data) => ticket === asked.current && setState({ data, error: null, loading: false, key }))
      .catch((err: unknown) => ticket === asked.current && setState({ data: undefined, error: describeError(err), loading: false, key }))
  }, [api, method, key])

  useEffect(load, [load])
  useEngineEvent('data.changed', (change) => (change.what === 'labels' || change.what === 'models') && load())
  useEngineEvent('job.done', (done) => done.kind === 'train' && load())
  useEngineEvent('engine.restarted', load)
  return state
}
