import type { ColumnSizingState, OnChangeFn } from '@tanstack/react-table'
import { useCallback, useState } from 'react'
import { COLUMN_WIDTHS_KEY, parseColumnWidths } from './inboxLayout.ts'

/** The inbox's column widths as TanStack column sizing, remembered in this window's localStorage so a
 * column the user widened stays that wide after a reload or a restart. */
export function useStoredColumnWidths(): [ColumnSizingState, OnChangeFn<ColumnSizingState>] {
  const [sizing, setSizing] = useState<ColumnSizingState>(() => parseColumnWidths(readStore()))
  const change = useCallback<OnChangeFn<ColumnSizingState>>((updater) => {
    setSizing((old) => {
      const next = typeof updater === 'function' ? updater(old) : updater
      writeStore(JSON.stringify(next))
      return next
    })
  }, [])
  return [sizing, change]
}

// Storage can be unavailable (a sandboxed page, a full quota): widths then last for the session only.
function readStore(): string | null {
  try {
    return window.localStorage.getItem(COLUMN_WIDTHS_KEY)
  } catch {
    return null
  }
}

function writeStore(value: string): void {
  try {
    window.localStorage.setItem(COLUMN_WIDTHS_KEY, value)
  } catch {
    // Nothing to do: see readStore.
  }
}
