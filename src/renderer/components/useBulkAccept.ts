// Accepts the prediction for every ticket in the current filtered queue, page by page. Decided tickets
// leave the queue, so each page is read from the start; tickets that failed once are not retried, and
// the run stops at the number the user confirmed even if the queue grew meanwhile. Every decision of one
// run carries the same batch id, so the whole run can be undone as one step (review.undoBatch).
import { useCallback, useRef, useState } from 'react'
import { describeError } from '../api/describeError.ts'
import { useTriage } from '../api/TriageContext.tsx'
import type { ReviewFilter } from './useReviewSession.ts'

const PAGE = 200

export type BulkState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'running'; readonly done: number; readonly of: number }
  | {
      readonly phase: 'finished'
      readonly batchId: string
      readonly accepted: number
      readonly failed: number
      readonly of: number
      readonly stopped: boolean
      readonly firstError: string | null
      /** Set while the batch is being undone, and after: how it went. */
      readonly undo?: { readonly phase: 'running' } | { readonly phase: 'done'; readonly undone: number } | { readonly phase: 'failed'; readonly error: string }
    }

/** Random, from getRandomValues: crypto.randomUUID exists only in secure contexts, and the browser host may be served over plain http on a LAN address. */
function newBatchId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return `bulk-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}

export function useBulkAccept(onFinished: () => void) {
  const api = useTriage()
  const [state, setState] = useState<BulkState>({ phase: 'idle' })
  const stop = useRef(false)

  const run = useCallback(
    async (filter: ReviewFilter, count: number) => {
      stop.current = false
      const batchId = newBatchId()
      let accepted = 0
      let failed = 0
      let firstError: string | null = null
      setState({ phase: 'running', done: 0, of: count })
      try {
        const attempted = new Set<number>()
        while (accepted + failed < count && !stop.current) {
          const page = await api.request('review.queue', { ...filter, offset: 0, limit: PAGE })
          const fresh = page.items.filter((item) => !attempted.has(item.ticketId)).slice(0, count - accepted - failed)
          if (fresh.length === 0) break
          for (const item of fresh) attempted.add(item.ticketId)
          const results = await Promise.allSettled(fresh.map((item) => api.request('review.decide', { ticketId: item.ticketId, target: filter.target, batchId })))
          for (const r of results) {
            if (r.status === 'fulfilled') accepted += 1
            else {
              failed += 1
              firstError ??= describeError(r.reason)
            }
          }
          setState({ phase: 'running', done: accepted + failed, of: count })
        }
      } catch (err) {
        firstError ??= describeError(err)
      }
      setState({ phase: 'finished', batchId, accepted, failed, of: count, stopped: stop.current, firstError })
      onFinished()
    },
    [api, onFinished]
  )

  /** Undoes every decision of the finished run that still stands, in one request. */
  const undo = useCallback(async () => {
    if (state.phase !== 'finished' || state.undo) return
    const finished = state
    setState({ ...finished, undo: { phase: 'running' } })
    try {
      const result = await api.request('review.undoBatch', { batchId: finished.batchId })
      setState({ ...finished, undo: { phase: 'done', undone: result.undone } })
    } catch (err) {
      setState({ ...finished, undo: { phase: 'failed', error: describeError(err) } })
    }
    onFinished()
  }, [api, onFinished, state])

  const cancel = useCallback(() => {
    stop.current = true
  }, [])
  const dismiss = useCallback(() => setState({ phase: 'idle' }), [])
  return { state, run, undo, cancel, dismiss }
}
