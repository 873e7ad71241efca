// The drag handle on a column header's right edge: drag it (mouse or touch), or focus it and use the
// arrow keys; a double click gives the column back its default width.
import type { Header } from '@tanstack/react-table'
import type { KeyboardEvent } from 'react'
import type { InboxRow } from './inboxColumns.tsx'
import { MAX_COLUMN_PX, MIN_COLUMN_PX } from './inboxLayout.ts'

const KEY_STEP_PX = 16

export function ColumnResizer({ header }: { header: Header<InboxRow, unknown> }) {
  const column = header.column
  const name = typeof column.columnDef.header === 'string' ? column.columnDef.header : column.id
  const width = column.getSize()
  const resizeBy = (delta: number) => {
    const next = Math.max(MIN_COLUMN_PX, Math.min(MAX_COLUMN_PX, width + delta))
    header.getContext().table.setColumnSizing((old) => ({ ...old, [column.id]: next }))
  }
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Keys here are the handle's: the grid around it would move the selection (arrows) or open a ticket (Enter).
    event.stopPropagation()
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault()
      resizeBy(event.key === 'ArrowLeft' ? -KEY_STEP_PX : KEY_STEP_PX)
    }
  }
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize the ${name} column`}
      aria-valuenow={width}
      aria-valuemin={MIN_COLUMN_PX}
      aria-valuemax={MAX_COLUMN_PX}
      tabIndex={0}
      className={`column-resizer${column.getIsResizing() ? ' resizing' : ''}`}
      onMouseDown={header.getResizeHandler()}
      onTouchStart={header.getResizeHandler()}
      onDoubleClick={() => column.resetSize()}
      onClick={(event) => event.stopPropagation()}
      onKeyDown={onKeyDown}
    />
  )
}
