// The inbox's columns. Rows are the virtual window's rows; `ticket` is null while its page loads.
import { createColumnHelper, type ColumnDef } from '@tanstack/react-table'
import type { InboxColumns } from '../../shared/contract.ts'
import type { TicketRow } from '../../shared/domain.ts'
import { bodyAfterTitle, ticketTitle } from '../../shared/ticketTitle.ts'
import { formatCreated } from './formatCreated.ts'
import { fieldHasData, idColumnWidth } from './inboxLayout.ts'
import { PredictionCell } from './PredictionCell.tsx'
import { TicketTitleText } from './TicketTitleText.tsx'

export interface InboxRow {
  readonly index: number
  readonly ticket: TicketRow | null
}

const column = createColumnHelper<InboxRow>()

/** Column ids are the contract's InboxColumn names, so sorting maps straight onto tickets.page; the
 * "Predicted" column is `confidence:<target>`, so sorting it sorts by the active head's confidence.
 * Created, status and priority appear once some ticket has a value for them (`info.fieldsWithData`). */
export function inboxColumns(info: InboxColumns | null, predictionTarget: string | null = null): ColumnDef<InboxRow, string>[] {
  const targets = info?.targets.map((t) => t.target) ?? []
  const optional = (field: 'created' | 'status' | 'priority', def: ColumnDef<InboxRow, string>): ColumnDef<InboxRow, string>[] =>
    fieldHasData(info, field) ? [def] : []
  return [
    column.accessor((row) => row.ticket?.externalId ?? '', {
      id: 'externalId',
      header: 'ID',
      size: idColumnWidth(info?.externalIdChars),
      // The whole id on hover, for a column narrowed below it.
      cell: ({ getValue }) => <span title={getValue()}>{getValue()}</span>
    }),
    column.accessor((row) => row.ticket?.subject ?? '', {
      id: 'subject',
      header: 'Subject',
      // The subject takes the width the other columns leave; it has no size of its own to drag.
      enableResizing: false,
      cell: ({ row }) => {
        const ticket = row.original.ticket
        if (!ticket) return <span className="loading-cell">Loading…</span>
        const title = ticketTitle(ticket.subject, ticket.snippet)
        return (
          <span className="subject-cell">
            <TicketTitleText className="subject" title={title} />
            <span className="snippet">{bodyAfterTitle(title, ticket.snippet)}</span>
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
    ...optional('created', column.accessor((row) => formatCreated(row.ticket?.created), { id: 'created', header: 'Created', size: 110 })),
    ...optional('status', column.accessor((row) => row.ticket?.status ?? '', { id: 'status', header: 'Status', size: 90 })),
    ...optional('priority', column.accessor((row) => row.ticket?.priority ?? '', { id: 'priority', header: 'Priority', size: 90 })),
    ...targets.map((target) =>
      column.accessor((row) => row.ticket?.labels[target] ?? '', { id: `label:${target}`, header: target, size: 130 })
    )
  ]
}
