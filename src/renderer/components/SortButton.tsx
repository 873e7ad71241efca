// A sortable column header's button and its aria-sort value, the same in every table.
import type { ReactNode } from 'react'

export type SortDirection = 'asc' | 'desc' | false

export function ariaSort(direction: SortDirection): 'ascending' | 'descending' | 'none' {
  return direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : 'none'
}

export function SortButton({ direction, onClick, children }: { direction: SortDirection; onClick: ((event: unknown) => void) | undefined; children: ReactNode }) {
  return (
    <button type="button" className="sort-button" onClick={onClick}>
      {children}
      <span className="sort-mark" aria-hidden="true">
        {direction === 'asc' ? '▲' : direction === 'desc' ? '▼' : ''}
      </span>
    </button>
  )
}
