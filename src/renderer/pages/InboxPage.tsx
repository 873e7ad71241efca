// The inbox: search, per-column filters, a virtualised ticket grid over engine-side pages, and the
// detail panel. Sorting, filtering and search all run in the engine.
import type { SortingState, Updater } from '@tanstack/react-table'
import { useCallback, useMemo, useState } from 'react'
import type { InboxColumn } from '../../shared/domain.ts'
import { ColumnFilters, type FilterValues } from '../components/ColumnFilters.tsx'
import { formatCount } from '../components/formatNumber.ts'
import { inboxColumns } from '../components/inboxColumns.tsx'
import { PredictionControls, type PredictionView } from '../components/PredictionControls.tsx'
import { SearchBox } from '../components/SearchBox.tsx'
import { TicketDetailPanel } from '../components/TicketDetailPanel.tsx'
import { TicketTable } from '../components/TicketTable.tsx'
import { useInboxColumns } from '../components/useInboxColumns.ts'
import { activeTargets, useModelList } from '../components/useModelList.ts'
import { useTicketPages, type InboxQuery } from '../components/useTicketPages.ts'

export function InboxPage() {
  const columnsInfo = useInboxColumns()
  const [search, setSearch] = useState('')
  const [filters, setFilters] = useState<FilterValues>({})
  const [sorting, setSorting] = useState<SortingState>([])
  const [selected, setSelected] = useState(-1)
  const [openId, setOpenId] = useState<number | null>(null)
  const { models } = useModelList()
  const predictable = useMemo(() => activeTargets(models), [models])
  // `target: undefined` until the user picks: then the first target with an active head is shown.
  const [chosenView, setPredictionView] = useState<Omit<PredictionView, 'target'> & { target: string | null | undefined }>({
    target: undefined,
    needsReview: false,
    mismatch: false
  })
  const predictionView = useMemo<PredictionView>(() => {
    const target = chosenView.target === undefined ? (predictable[0] ?? null) : chosenView.target
    return { ...chosenView, target: target !== null && predictable.includes(target) ? target : null }
  }, [chosenView, predictable])

  const query = useMemo<InboxQuery>(() => {
    const sort = sorting[0]
    return {
      filters: Object.entries(filters).map(([column, value]) => ({ column: column as InboxColumn, value: value ?? '' })),
      ...(search.trim() ? { search: search.trim() } : {}),
      ...(predictionView.target !== null && (predictionView.needsReview || predictionView.mismatch)
        ? {
            prediction: {
              target: predictionView.target,
              ...(predictionView.needsReview ? { needsReview: true } : {}),
              ...(predictionView.mismatch ? { mismatch: true } : {})
            }
          }
        : {}),
      ...(sort ? { sort: { column: sort.id as InboxColumn, dir: sort.desc ? 'desc' : 'asc' } } : {})
    }
  }, [filters, search, sorting, predictionView])
  const pages = useTicketPages(query)

  const columns = useMemo(() => inboxColumns(columnsInfo, predictionView.target), [columnsInfo, predictionView.target])
  const changePredictionView = useCallback((value: PredictionView) => {
    setPredictionView(value)
    setSelected(-1)
    // A confidence sort of a target no longer shown would sort by something invisible.
    setSorting((old) => old.filter((s) => !s.id.startsWith('confidence:') || s.id === `confidence:${value.target ?? ''}`))
  }, [])

  const onSortingChange = useCallback((updater: Updater<SortingState>) => {
    setSorting((old) => (typeof updater === 'function' ? updater(old) : updater))
    setSelected(-1)
  }, [])
  const changeSearch = useCallback((value: string) => {
    setSearch(value)
    setSelected(-1)
  }, [])
  const changeFilters = useCallback((value: FilterValues) => {
    setFilters(value)
    setSelected(-1)
  }, [])
  const open = useCallback(
    (index: number) => {
      const ticket = pages.rowAt(index)
      if (ticket) setOpenId(ticket.id)
    },
    [pages]
  )

  return (
    <div className={`page inbox-page${openId !== null ? ' with-detail' : ''}`}>
      <div className="inbox-main">
        <div className="toolbar">
          <SearchBox value={search} onChange={changeSearch} />
          <ColumnFilters columns={columnsInfo} value={filters} onChange={changeFilters} />
          <PredictionControls targets={predictable} value={predictionView} onChange={changePredictionView} />
          <span className="result-count" role="status" aria-live="polite">
            {pages.total === null ? 'Loading…' : `${formatCount(pages.total)} ticket${pages.total === 1 ? '' : 's'}`}
          </span>
        </div>
        {pages.error && <p role="alert" className="error">{pages.error}</p>}
        {pages.total === 0 ? (
          <p className="empty-results">No tickets match{search ? ` “${search}”` : ''}.</p>
        ) : (
          <TicketTable pages={pages} columns={columns} sorting={sorting} onSortingChange={onSortingChange} selected={selected} onSelect={setSelected} onOpen={open} />
        )}
      </div>
      {openId !== null && <TicketDetailPanel ticketId={openId} onClose={() => setOpenId(null)} onOpenTicket={setOpenId} />}
    </div>
  )
}
