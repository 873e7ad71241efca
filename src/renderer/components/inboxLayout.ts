// The numbers behind the inbox's layout and labels, kept out of the components so they are tested:
// which ticket-field columns have data, how wide the ID column starts, what a similarity score reads as,
// and the column widths a user set (kept in localStorage, per column id).
import type { InboxColumns } from '../../shared/contract.ts'
import type { TicketField } from '../../shared/domain.ts'

/** Width of one character of an external id in the grid's 14 px system font (digits and capitals). */
const ID_CHAR_PX = 8
/** The cell's horizontal padding, both sides. */
const CELL_PADDING_PX = 16
export const MIN_COLUMN_PX = 48
export const MAX_COLUMN_PX = 900
const DEFAULT_ID_PX = 100
const MAX_DEFAULT_ID_PX = 260

/** Whether a ticket-field column has a value on some ticket. Without the engine's answer (older engine,
 * still loading), it counts as having data: hiding a column that has values would lose information. */
export function fieldHasData(columns: InboxColumns | null, field: TicketField): boolean {
  return columns?.fieldsWithData === undefined || columns.fieldsWithData.includes(field)
}

/** Wide enough for the longest external id to show whole, within reason (past it the cell has a tooltip). */
export function idColumnWidth(externalIdChars: number | undefined): number {
  if (externalIdChars === undefined || externalIdChars <= 0) return DEFAULT_ID_PX
  return Math.max(64, Math.min(MAX_DEFAULT_ID_PX, externalIdChars * ID_CHAR_PX + CELL_PADDING_PX))
}

/** "87% similar" from a cosine score in [-1, 1]; a negative cosine is as unlike as it gets, 0%. */
export function similarityLabel(score: number): string {
  const percent = Number.isFinite(score) ? Math.round(Math.max(0, Math.min(1, score)) * 100) : 0
  return `${percent}% similar`
}

export const COLUMN_WIDTHS_KEY = 'triage.inbox.columnWidths'

/** Stored widths, keeping only sane numbers: the store is user-editable and may hold anything. */
export function parseColumnWidths(stored: string | null): Record<string, number> {
  if (!stored) return {}
  let data: unknown
  try {
    data = JSON.parse(stored)
  } catch {
    return {}
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return {}
  const out: Record<string, number> = {}
  for (const [id, width] of Object.entries(data)) {
    if (typeof width === 'number' && Number.isFinite(width)) out[id] = Math.round(Math.max(MIN_COLUMN_PX, Math.min(MAX_COLUMN_PX, width)))
  }
  return out
}
