// One engine request whose answer a component shows, asked again when the engine connects (or restarts)
// and when the data it depends on changes. `params: null` means "nothing to ask yet". Answers to a
// superseded request are dropped, so a quick change of target never shows the previous target's figures;
// a reload with the same params keeps the old answer on screen until the new one arrives.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { EventMap, JobKind, Method, Params, Result } from '../../shared/contract.ts'
import { describeError } from './describeError.ts'
import { useConnectionState, useEngineEvent, useTriage } from './TriageContext.tsx'

export interface EngineQuery<M extends Method> {
  readonly data: Result<M> | undefined
  readonly error: string | null
  readonly loading: boolean
}

/** What makes an answer stale: these `data.changed` kinds and these finished jobs ('any': every one). */
export interface StaleWhen {
  readonly changes: readonly EventMap['data.changed']['what'][] | 'any'
  readonly jobs?: readonly JobKind[] | 'any'
}

const matches = <T,>(list: readonly T[] | 'any' | undefined, value: T): boolean => list === 'any' || (list?.includes(value) ?? false)

export function useEngineQuery<M extends Method>(method: M, params: Params<M> | null, staleWhen: StaleWhen): EngineQuery<M> {
  const api = useTriage()
  const connection = useConnectionState()
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

  // Asked once connected, and again after a reconnect: a request sent before would only fail.
  useEffect(() => {
    if (connection === 'connected') load()
  }, [connection, load])
  useEngineEvent('data.changed', (change) => matches(staleWhen.changes, change.what) && load())
  useEngineEvent('job.done', (done) => matches(staleWhen.jobs, done.kind) && load())
  useEngineEvent('engine.restarted', load)
  return state
}
