// The whole ticket: fields, body, current labels with their history, predictions, the likely duplicate,
// similar tickets, and the raw source record.
import { useEffect, useState } from 'react'
import type { TicketDetail } from '../../shared/domain.ts'
import { ticketTitle } from '../../shared/ticketTitle.ts'
import { describeError } from '../api/describeError.ts'
import { useEngineEvent, useTriage } from '../api/TriageContext.tsx'
import { CopyButton } from './CopyButton.tsx'
import { similarityLabel } from './inboxLayout.ts'
import { PredictionSummary } from './PredictionSummary.tsx'
import { SimilarTicketsPanel } from './SimilarTicketsPanel.tsx'
import { TicketTitleText } from './TicketTitleText.tsx'

interface Props {
  readonly ticketId: number
  readonly onClose: () => void
  /** Opens another ticket in this panel (duplicate link, similar tickets). */
  readonly onOpenTicket: (ticketId: number) => void
}

export function TicketDetailPanel({ ticketId, onClose, onOpenTicket }: Props) {
  const api = useTriage()
  const [ticket, setTicket] = useState<TicketDetail | null>(null)
  const [error, setError] = useState<string | null>(null)

  const [generation, setGeneration] = useState(0)
  // A review decision, a new model or the indexing after an import (a duplicate link) changes what this panel shows.
  useEngineEvent('data.changed', (change) => ['labels', 'models', 'tickets'].includes(change.what) && setGeneration((g) => g + 1))

  useEffect(() => {
    let live = true
    setError(null)
    api
      .request('tickets.get', { id: ticketId })
      .then((t) => live && setTicket(t))
      .catch((err: unknown) => live && setError(describeError(err)))
    return () => {
      live = false
    }
  }, [api, ticketId, generation])
  useEffect(() => setTicket(null), [ticketId])

  return (
    <aside className="detail" aria-label="Ticket detail" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="detail-head">
        <TicketHeading ticket={ticket} />
        <button type="button" onClick={onClose} aria-label="Close ticket detail">
          ✕
        </button>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {!ticket && !error && <p role="status">Loading…</p>}
      {ticket && (
        <>
          <dl className="fields">
            <dt>External id</dt>
            <dd className="external-id">
              <span>{ticket.externalId}</span> <CopyButton text={ticket.externalId} what="external id" />
            </dd>
            {/* Fields the export did not have (a body-only file has no date, status or priority) are left out. */}
            <OptionalField name="Created" value={ticket.created} />
            <OptionalField name="Status" value={ticket.status} />
            <OptionalField name="Priority" value={ticket.priority} />
            <dt>Import</dt>
            <dd>#{ticket.importId}</dd>
            {Object.entries(ticket.labels).map(([target, value]) => (
              <LabelField key={target} target={target} value={value} origin={currentOrigin(ticket, target)} helpdesk={ticket.helpdeskLabels[target]} />
            ))}
            {ticket.duplicateOf && (
              <>
                <dt>Duplicate of</dt>
                <dd>
                  <button type="button" className="link" onClick={() => ticket.duplicateOf && onOpenTicket(ticket.duplicateOf.id)}>
                    {/* The id the user knows; the row number only from an engine that does not send it. */}
                    ticket {ticket.duplicateOf.externalId ?? `(row ${ticket.duplicateOf.id})`}
                  </button>{' '}
                  <span className="muted">({similarityLabel(ticket.duplicateOf.score)})</span>
                </dd>
              </>
            )}
          </dl>
          <PredictionSummary predictions={ticket.predictions} labels={ticket.labels} />
          <section aria-label="Body">
            <h3>Body</h3>
            <div className="body-text">{ticket.body || '(empty)'}</div>
          </section>
          {/* Before the history and the raw record, so the likely answers are in view when the panel opens. */}
          <SimilarTicketsPanel ticketId={ticket.id} target={Object.keys(ticket.predictions)[0] ?? Object.keys(ticket.labels)[0]} onOpen={onOpenTicket} />
          {ticket.labelHistory.length > 0 && (
            <section aria-label="Label history">
              <h3>Label history</h3>
              <table className="history">
                <thead>
                  <tr>
                    <th scope="col">Target</th>
                    <th scope="col">Value</th>
                    <th scope="col">Origin</th>
                    <th scope="col">Who</th>
                    <th scope="col">When</th>
                  </tr>
                </thead>
                <tbody>
                  {ticket.labelHistory.map((entry, i) => (
                    <tr key={i} className={entry.current ? 'current' : 'superseded'}>
                      <td>{entry.target}</td>
                      <td>
                        {entry.value}
                        {entry.current ? '' : ' (replaced)'}
                      </td>
                      <td>{entry.origin}</td>
                      <td>{entry.who ?? '—'}</td>
                      <td>{new Date(entry.at).toLocaleString()}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          <section aria-label="Raw source fields">
            {/* Collapsed: the whole source row is for checking the import, not for triage. */}
            <details className="raw-source">
              <summary>
                <h3>Raw source fields ({Object.keys(ticket.raw).length})</h3>
              </summary>
              <dl className="raw-fields">
                {Object.entries(ticket.raw).map(([key, value]) => (
                  <div key={key}>
                    <dt>{key}</dt>
                    <dd>{value}</dd>
                  </div>
                ))}
              </dl>
            </details>
          </section>
        </>
      )}
    </aside>
  )
}

/** The ticket's title: its subject, or (body-only exports) the body's first words, set apart as derived. */
function TicketHeading({ ticket }: { ticket: TicketDetail | null }) {
  if (!ticket) return <h2>Ticket</h2>
  return (
    <h2>
      <TicketTitleText title={ticketTitle(ticket.subject, ticket.body)} />
    </h2>
  )
}

function OptionalField({ name, value }: { name: string; value: string | null }) {
  if (value === null || value === '') return null
  return (
    <>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </>
  )
}

function currentOrigin(ticket: TicketDetail, target: string): string | undefined {
  return ticket.labelHistory.find((entry) => entry.target === target && entry.current)?.origin
}

function LabelField({ target, value, origin, helpdesk }: { target: string; value: string; origin: string | undefined; helpdesk: string | undefined }) {
  return (
    <>
      <dt>{target}</dt>
      <dd data-testid={`label-${target}`}>
        <span className="label-chip">{value}</span>
        {origin && <span className="muted"> ({origin === 'review' ? 'decided by a lead' : origin})</span>}
        {helpdesk !== undefined && (
          <span className="muted" data-testid={`helpdesk-${target}`}>
            {' '}
            · the helpdesk now says {helpdesk}
          </span>
        )}
      </dd>
    </>
  )
}
