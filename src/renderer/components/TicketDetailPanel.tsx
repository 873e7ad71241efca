// The whole ticket: fields, body, current labels with their history, and the raw source record.
import { useEffect, useState } from 'react'
import type { TicketDetail } from '../../shared/domain.ts'
import { describeError } from '../api/describeError.ts'
import { useTriage } from '../api/TriageContext.tsx'

export function TicketDetailPanel({ ticketId, onClose }: { ticketId: number; onClose: () => void }) {
  const api = useTriage()
  const [ticket, setTicket] = useState<TicketDetail | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    setTicket(null)
    setError(null)
    api
      .request('tickets.get', { id: ticketId })
      .then((t) => live && setTicket(t))
      .catch((err: unknown) => live && setError(describeError(err)))
    return () => {
      live = false
    }
  }, [api, ticketId])

  return (
    <aside className="detail" aria-label="Ticket detail" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="detail-head">
        <h2>{ticket ? ticket.subject || '(no subject)' : 'Ticket'}</h2>
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
            <dd>{ticket.externalId}</dd>
            <dt>Created</dt>
            <dd>{ticket.created ?? '—'}</dd>
            <dt>Status</dt>
            <dd>{ticket.status ?? '—'}</dd>
            <dt>Priority</dt>
            <dd>{ticket.priority ?? '—'}</dd>
            <dt>Import</dt>
            <dd>#{ticket.importId}</dd>
            {Object.entries(ticket.labels).map(([target, value]) => (
              <LabelField key={target} target={target} value={value} />
            ))}
          </dl>
          <section aria-label="Body">
            <h3>Body</h3>
            <div className="body-text">{ticket.body || '(empty)'}</div>
          </section>
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
            <h3>Raw source fields</h3>
            <dl className="raw-fields">
              {Object.entries(ticket.raw).map(([key, value]) => (
                <div key={key}>
                  <dt>{key}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          </section>
        </>
      )}
    </aside>
  )
}

function LabelField({ target, value }: { target: string; value: string }) {
  return (
    <>
      <dt>{target}</dt>
      <dd>
        <span className="label-chip">{value}</span>
      </dd>
    </>
  )
}
