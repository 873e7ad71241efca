// The review session against the engine: pages of the queue fetched ahead, decisions sent without
// waiting (the next ticket shows at once, the answer settles the entry later), undo, skip, and the
// "N left" counter and pace. Requests go over one ordered channel, so a page asked for after a decision
// is answered after the engine recorded it, and its offset (the tickets still queued) stays right.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Params } from '../../shared/contract.ts'
import { EngineError } from '../../shared/errors.ts'
import { describeError } from '../api/describeError.ts'
import { useEngineEvent, useTriage } from '../api/TriageContext.tsx'
import {
  appendItems,
  current,
  EMPTY_BUFFER,
  moveBy,
  pendingAhead,
  reopen,
  settle,
  skipCurrent,
  startDecision,
  stillQueued,
  type ReviewBuffer
} from './reviewBuffer.ts'

const PAGE = 50
/** Fetch the next page when fewer pending tickets than this are ahead. */
const LOW_WATER = 10

export type ReviewFilter = Omit<Params<'review.queue'>, 'offset' | 'limit'>

export interface ReviewMessage {
  readonly text: string
  readonly kind: 'info' | 'warning' | 'error'
}

export function useReviewSession(filter: ReviewFilter | null) {
  const api = useTriage()
  const filterKey = JSON.stringify(filter)
  const [buffer, setBuffer] = useState<ReviewBuffer>(EMPTY_BUFFER)
  // Key presses can come faster than renders: every change goes through the ref first, then to state.
  const bufferRef = useRef(buffer)
  const apply = useCallback((change: (b: ReviewBuffer) => ReviewBuffer) => {
    bufferRef.current = change(bufferRef.current)
    setBuffer(bufferRef.current)
  }, [])
  const [loading, setLoading] = useState(false)
  const [message, setMessage] = useState<ReviewMessage | null>(null)
  // "N left": the engine's total when a page was asked for, minus the decisions (net of undos) sent since.
  const net = useRef(0)
  const [baseline, setBaseline] = useState<{ total: number; net: number } | null>(null)
  const [netNow, setNetNow] = useState(0)
  const [session, setSession] = useState({ decisions: 0, startedAt: Date.now() })
  const generation = useRef(0)
  const fetching = useRef(false)
  const filterRef = useRef(filter)
  filterRef.current = filter

  const bumpNet = (delta: number) => {
    net.current += delta
    setNetNow(net.current)
  }

  const fetchMore = useCallback(() => {
    const f = filterRef.current
    if (!f || fetching.current || bufferRef.current.exhausted) return
    fetching.current = true
    setLoading(true)
    const gen = generation.current
    const sentNet = net.current
    api
      .request('review.queue', { ...f, offset: stillQueued(bufferRef.current), limit: PAGE })
      .then((page) => {
        if (gen !== generation.current) return
        setBaseline({ total: page.total, net: sentNet })
        apply((b) => appendItems(b, page.items, PAGE))
      })
      .catch((err: unknown) => gen === generation.current && setMessage({ text: `Could not load the queue: ${describeError(err)}`, kind: 'error' }))
      .finally(() => {
        if (gen !== generation.current) return
        fetching.current = false
        setLoading(false)
      })
  }, [api, apply])

  const reset = useCallback(() => {
    generation.current += 1
    fetching.current = false
    net.current = 0
    setNetNow(0)
    setBaseline(null)
    apply(() => EMPTY_BUFFER)
    fetchMore()
  }, [fetchMore, apply])

  useEffect(() => {
    reset()
    setSession({ decisions: 0, startedAt: Date.now() })
    // filter is represented by filterKey.
  }, [filterKey, reset])

  useEffect(() => {
    if (pendingAhead(buffer) < LOW_WATER) fetchMore()
  }, [buffer, fetchMore])

  // A new or restored model makes a new queue.
  useEngineEvent('data.changed', (change) => change.what === 'models' && reset())
  useEngineEvent('engine.restarted', reset)

  const decide = useCallback(
    (label: string | null) => {
      const f = filterRef.current
      const entry = current(bufferRef.current)
      if (!f || !entry) return
      if (entry.status !== 'pending' && entry.status !== 'skipped') {
        setMessage({ text: `Ticket ${entry.item.externalId} is already ${entry.status === 'saving' ? 'being saved' : entry.status}. Press u to undo your last decision.`, kind: 'warning' })
        return
      }
      const ticketId = entry.item.ticketId
      const gen = generation.current
      apply((b) => startDecision(b, label))
      bumpNet(1)
      setMessage(null)
      api
        .request('review.decide', { ticketId, target: f.target, ...(label === null ? {} : { label }) })
        .then(() => {
          if (gen !== generation.current) return
          apply((b) => settle(b, ticketId, 'decided'))
          setSession((s) => ({ ...s, decisions: s.decisions + 1 }))
        })
        .catch((err: unknown) => {
          if (gen !== generation.current) return
          const code = err instanceof EngineError ? err.code : null
          if (code === 'CONFLICT') {
            apply((b) => settle(b, ticketId, 'conflict', describeError(err)))
            setMessage({ text: `Not recorded, moved on: ${describeError(err)}`, kind: 'warning' })
          } else if (code === 'NOT_FOUND') {
            apply((b) => settle(b, ticketId, 'gone', describeError(err)))
            setMessage({ text: `Not recorded, moved on: ${describeError(err)}`, kind: 'warning' })
          } else {
            bumpNet(-1)
            apply((b) => settle(b, ticketId, 'pending'))
            setMessage({ text: `Ticket ${entry.item.externalId} was not saved: ${describeError(err)}`, kind: 'error' })
          }
        })
    },
    [api, apply]
  )

  const undo = useCallback(() => {
    const f = filterRef.current
    if (!f) return
    const gen = generation.current
    api
      .request('review.undo', { target: f.target })
      .then((undone) => {
        if (gen !== generation.current) return
        bumpNet(-1)
        setSession((s) => ({ ...s, decisions: Math.max(0, s.decisions - 1) }))
        setMessage({ text: `Undone: ticket ${undone.externalId ?? `(row ${undone.ticketId})`} is back to ${undone.to ?? 'no label'} (was ${undone.from ?? '—'}).`, kind: 'info' })
        const reopened = reopen(bufferRef.current, undone.ticketId)
        if (reopened) apply(() => reopened)
        else reset()
      })
      .catch((err: unknown) => gen === generation.current && setMessage({ text: describeError(err), kind: err instanceof EngineError && err.code === 'NOT_FOUND' ? 'info' : 'error' }))
  }, [api, apply, reset])

  const skip = useCallback(() => apply(skipCurrent), [apply])
  const move = useCallback((delta: number) => apply((b) => moveBy(b, delta)), [apply])

  const left = baseline === null ? null : Math.max(0, baseline.total - (netNow - baseline.net))
  return { buffer, entry: current(buffer), loading, left, session, message, setMessage, decide, undo, skip, move, reset }
}
