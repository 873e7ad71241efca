// The inbox's columns. Rows are the virtual window's rows; `ticket` is null while its page loads.
import { createColumnHelper, type ColumnDef } from '@tanstack/react-table'
import type { TicketRow } from '../../shared/domain.ts'
import { formatCreated } from './formatCreated.ts'
import { PredictionCell } from './PredictionCell.tsx'

export interface InboxRow {
  readonly index: number
  readonly ticket: TicketRow | null
}

const column = createColumnHelper<InboxRow>()

/** Column ids are the contract's InboxColumn names, so sorting maps straight onto tickets.page; the
 * "Predicted" column is `confidence:<target>`, so sorting it sorts by the active head's confidence. */
export function inboxColumns(targets: readonly string[], predictionTarget: string | null = null): ColumnDef<InboxRow, string>[] {
  return [
    column.accessor((row) => row.ticket?.externalId ?? '', { id: 'externalId', header: 'ID', size: 100 }),
    column.accessor((row) => row.ticket?.subject ?? '', {
      id: 'subject',
      header: 'Subject',
      cell: ({ row }) => {
        const ticket = row.original.ticket
        if (!ticket) return <span className="loading-cell">Loading…</span>
        return (
          <span className="subject-cell">
            <span className="subject">{ticket.subject || '(no subject)'}</span>
            <span className="snippet">{ticket.snippet}</span>
          </span>
        )
      }
    }),
    // Next to the subject, so it stays in view when the detail panel narrows the grid.
    ...(predictionTarget === null
      ? []
      : [
          column.accessor((row) => row.ticket?.predictions[predictionTarget]?.label ?? '', {
            id: `confidence:${predictionTarget}`,
            header: 'Predicted',
            size: 300,
            cell: ({ row }) => {
              const ticket = row.original.ticket
              if (!ticket) return null
              return <PredictionCell prediction={ticket.predictions[predictionTarget]} recorded={ticket.labels[predictionTarget]} />
            }
          })
        ]),
    column.accessor((row) => formatCreated(row.ticket?.created), { id: 'created', header: 'Created', size: 110 }),
    column.accessor((row) => row.ticket?.status ?? '', { id: 'status', header: 'Status', size: 90 }),
    column.accessor((row) => row.ticket?.priority ?? '', { id: 'priority', header: 'Priority', size: 90 }),
    ...targets.map((target) =>
      column.accessor((row) => row.ticket?.labels[target] ?? '', { id: `label:${target}`, header: target, size: 130 })
    )
  ]
}
