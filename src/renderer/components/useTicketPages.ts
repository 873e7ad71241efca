// Engine-side paging for the inbox. Pages are fetched as the virtual window asks for rows, cached,
// and only the pages still in view are fetched (at most two at once), so dragging the scrollbar
// across 100,000 tickets does not queue hundreds of queries. After a data change the old rows stay
// on screen until their fresh copies arrive; after a query change they are dropped at once.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Params } from '../../shared/contract.ts'
import type { TicketRow } from '../../shared/domain.ts'
import { describeError } from '../api/describeError.ts'
import { useEngineEvent, useTriage } from '../api/TriageContext.tsx'

export const PAGE_SIZE = 100
const MAX_CONCURRENT = 2
/** ~50,000 rows of a few hundred bytes: plenty for scrolling back, bounded for huge inboxes. */
const MAX_CACHED_PAGES = 500

export type InboxQuery = Pick<Params<'tickets.page'>, 'sort' | 'filters' | 'search' | 'prediction'>

export interface TicketPages {
  readonly total: number | null
  readonly error: string | null
  /** Bumps whenever a page lands, so consumers re-read rows. */
  readonly version: number
  rowAt(index: number): TicketRow | null
  showRange(first: number, last: number): void
}

export function useTicketPages(query: InboxQuery): TicketPages {
  const api = useTriage()
  const queryKey = JSON.stringify(query)
  const current = useRef({ key: queryKey, query, generation: 0 })
  const cache = useRef(new Map<number, readonly TicketRow[]>())
  const stale = useRef(new Map<number, readonly TicketRow[]>())
  const wanted = useRef<number[]>([0])
  const inFlight = useRef(new Set<number>())
  const [total, setTotal] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [version, setVersion] = useState(0)

  const pump = useCallback(() => {
    for (const page of wanted.current) {
      if (inFlight.current.size >= MAX_CONCURRENT) return
      if (cache.current.has(page) || inFlight.current.has(page)) continue
      const generation = current.current.generation
      inFlight.current.add(page)
      api
        .request('tickets.page', { ...current.current.query, offset: page * PAGE_SIZE, limit: PAGE_SIZE })
        .then((result) => {
          if (generation !== current.current.generation) return
          cache.current.set(page, result.rows)
          stale.current.delete(page)
          evictFarPages(cache.current, page)
          setTotal(result.total)
          setError(null)
          setVersion((v) => v + 1)
        })
        .catch((err: unknown) => {
          if (generation === current.current.generation) setError(describeError(err))
        })
        .finally(() => {
          // A request from before an invalidation belongs to a set that no longer exists.
          if (generation !== current.current.generation) return
          inFlight.current.delete(page)
          pump()
        })
    }
  }, [api])

  const invalidate = useCallback(
    (keepRowsOnScreen: boolean) => {
      current.current.generation += 1
      stale.current = keepRowsOnScreen ? new Map([...stale.current, ...cache.current]) : new Map()
      cache.current = new Map()
      inFlight.current = new Set()
      if (!keepRowsOnScreen) setTotal(null)
      pump()
    },
    [pump]
  )

  useEffect(() => {
    if (current.current.key === queryKey && current.current.generation > 0) return
    current.current = { key: queryKey, query, generation: current.current.generation }
    wanted.current = [0]
    invalidate(false)
    // `query` is represented by queryKey; depending on the object would refetch on every render.
  }, [queryKey, invalidate])

  // Review decisions change labels and a new head changes predictions: both show in the grid.
  useEngineEvent('data.changed', (change) => ['tickets', 'labels', 'models'].includes(change.what) && invalidate(true))
  useEngineEvent('engine.restarted', () => invalidate(true))

  const showRange = useCallback(
    (first: number, last: number) => {
      const pages: number[] = []
      for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) pages.push(p)
      wanted.current = pages.length > 0 ? pages : [0]
      pump()
    },
    [pump]
  )

  const rowAt = useCallback((index: number): TicketRow | null => {
    const page = Math.floor(index / PAGE_SIZE)
    const rows = cache.current.get(page) ?? stale.current.get(page)
    return rows?.[index % PAGE_SIZE] ?? null
  }, [])

  return { total, error, version, rowAt, showRange }
}

function evictFarPages(cache: Map<number, readonly TicketRow[]>, near: number): void {
  if (cache.size <= MAX_CACHED_PAGES) return
  const byDistance = [...cache.keys()].sort((a, b) => Math.abs(b - near) - Math.abs(a - near))
  for (const page of byDistance.slice(0, cache.size - MAX_CACHED_PAGES)) cache.delete(page)
}
