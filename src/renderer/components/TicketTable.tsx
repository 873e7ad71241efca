// The inbox grid: TanStack Table for columns and header sorting (sorting is done by the engine), and
// TanStack Virtual so only the rows in view exist in the DOM. The table's data is just the virtual
// window's rows, which keeps the row model tiny however many tickets there are.
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type OnChangeFn, type SortingState } from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react'
import { ColumnResizer } from './ColumnResizer.tsx'
import type { InboxRow } from './inboxColumns.tsx'
import { MAX_COLUMN_PX, MIN_COLUMN_PX } from './inboxLayout.ts'
import type { TicketPages } from './useTicketPages.ts'
import { ariaSort, SortButton } from './SortButton.tsx'
import { useStoredColumnWidths } from './useStoredColumnWidths.ts'

export const ROW_HEIGHT = 40
const HEADER_HEIGHT = 36
const MIN_SUBJECT_WIDTH = 260

interface Props {
  readonly pages: TicketPages
  readonly columns: ColumnDef<InboxRow, string>[]
  readonly sorting: SortingState
  readonly onSortingChange: OnChangeFn<SortingState>
  readonly selected: number
  readonly onSelect: (index: number) => void
  readonly onOpen: (index: number) => void
}

export function TicketTable({ pages, columns, sorting, onSortingChange, selected, onSelect, onOpen }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const total = pages.total ?? 0
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollPaddingStart: HEADER_HEIGHT
  })
  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items[items.length - 1]?.index ?? 0

  const { showRange } = pages
  useEffect(() => showRange(first, last), [showRange, first, last])

  const data = useMemo<InboxRow[]>(
    () => items.map((item) => ({ index: item.index, ticket: pages.rowAt(item.index) })),
    // pages.version changes when a page lands; the items change when the window scrolls.
    [first, last, pages.version, pages.rowAt]
  )

  const [columnSizing, onColumnSizingChange] = useStoredColumnWidths()
  const table = useReactTable({
    data,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => String(row.index),
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: true,
    defaultColumn: { minSize: MIN_COLUMN_PX, maxSize: MAX_COLUMN_PX },
    columnResizeMode: 'onChange',
    state: { sorting, columnSizing },
    onSortingChange,
    onColumnSizingChange
  })

  const moveTo = (index: number) => {
    if (total === 0) return
    const next = Math.max(0, Math.min(total - 1, index))
    onSelect(next)
    virtualizer.scrollToIndex(next, { align: 'auto' })
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1)
    const moves: Record<string, number> = {
      ArrowDown: selected + 1,
      ArrowUp: selected - 1,
      PageDown: selected + page,
      PageUp: selected - page,
      Home: 0,
      End: total - 1
    }
    const target = moves[event.key]
    if (target !== undefined) {
      event.preventDefault()
      moveTo(selected < 0 && event.key === 'ArrowUp' ? 0 : target)
    } else if (event.key === 'Enter' && selected >= 0) {
      event.preventDefault()
      onOpen(selected)
    }
  }

  const paddingTop = items[0]?.start ?? 0
  const paddingBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0)
  const colSpan = columns.length
  // The subject takes what the fixed columns leave, but never less than this: past it the grid scrolls sideways.
  const fixedWidth = table
    .getVisibleLeafColumns()
    .filter((col) => col.id !== 'subject')
    .reduce((sum, col) => sum + col.getSize(), 0)

  return (
    <div ref={scrollRef} className="ticket-scroll" tabIndex={0} onKeyDown={onKeyDown} aria-label="Ticket list (use arrow keys, Enter opens)">
      <table className="tickets" role="grid" aria-label="Tickets" aria-rowcount={total + 1} style={{ minWidth: fixedWidth + MIN_SUBJECT_WIDTH }}>
        <colgroup>
          {table.getVisibleLeafColumns().map((col) => (
            // The subject column has no width so it takes whatever the fixed-width columns leave.
            <col key={col.id} style={col.id === 'subject' ? undefined : { width: col.getSize() }} />
          ))}
        </colgroup>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted()
                const name = header.column.columnDef.header
                return (
                  // Named by the column alone: the resize handle's label would otherwise join the header's name.
                  <th key={header.id} scope="col" aria-sort={ariaSort(sorted)} aria-label={typeof name === 'string' ? name : undefined}>
                    <SortButton direction={sorted} onClick={header.column.getToggleSortingHandler()}>
                      {flexRender(header.column.columnDef.header, header.getContext())}
                    </SortButton>
                    {header.column.getCanResize() && <ColumnResizer header={header} />}
                  </th>
                )
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {paddingTop > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={colSpan} style={{ height: paddingTop }} />
            </tr>
          )}
          {table.getRowModel().rows.map((row) => {
            const index = row.original.index
            return (
              <tr
                key={row.id}
                aria-rowindex={index + 2}
                aria-selected={index === selected}
                className={index === selected ? 'selected' : undefined}
                style={{ height: ROW_HEIGHT }}
                onClick={() => {
                  onSelect(index)
                  onOpen(index)
                }}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                ))}
              </tr>
            )
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={colSpan} style={{ height: paddingBottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  )
}
