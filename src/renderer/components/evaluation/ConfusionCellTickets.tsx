// The tickets behind one confusion cell (eval.cell), and the one the user opens (tickets.get).
import { useState } from 'react'
import type { EvaluationSource } from '../../../shared/evaluation.ts'
import { ticketTitle } from '../../../shared/ticketTitle.ts'
import { TicketTitleText } from '../TicketTitleText.tsx'
import { percent } from './evaluationFigures.ts'
import type { ChosenCell } from './ConfusionHeatMap.tsx'
import { useEvaluationQuery } from './useEvaluationQuery.ts'

interface Props {
  readonly target: string
  readonly source: EvaluationSource
  readonly modelId: number
  readonly cell: ChosenCell
  readonly onClose: () => void
}

const LIMIT = 100

export function ConfusionCellTickets({ target, source, modelId, cell, onClose }: Props) {
  const list = useEvaluationQuery('eval.cell', { target, source, modelId, truth: cell.truth, predicted: cell.predicted, limit: LIMIT })
  const [openId, setOpenId] = useState<number | null>(null)
  const detail = useEvaluationQuery('tickets.get', openId === null ? null : { id: openId })
  const name = `Tickets recorded as ${cell.truth}, predicted as ${cell.predicted}`

  return (
    <aside className="cell-tickets" aria-label={name}>
      <div className="detail-head">
        <h3>{name}</h3>
        <button type="button" className="link" onClick={onClose}>
          Close
        </button>
      </div>
      {list.error && <p role="alert" className="error">{list.error}</p>}
      {list.loading && !list.data && <p role="status">Loading tickets…</p>}
      {list.data && (
        <>
          <p className="hint">
            {list.data.total > list.data.tickets.length ? `First ${list.data.tickets.length} of ${list.data.total}` : `${list.data.total}`} tickets
          </p>
          <ul className="cell-ticket-list" aria-label="Tickets in the cell">
            {list.data.tickets.map((t) => (
              <li key={t.id}>
                <button type="button" aria-pressed={openId === t.id} onClick={() => setOpenId(t.id)}>
                  {/* Exports such as it-service have no subject column: the start of the body says what it is about. */}
                  <TicketTitleText className="cell-ticket-subject" title={ticketTitle(t.subject, t.snippet)} />
                  <span className="muted">
                    {t.externalId} · {percent(t.confidence)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {openId !== null && (
        <section className="cell-ticket-detail" aria-label="Opened ticket">
          {detail.error && <p role="alert" className="error">{detail.error}</p>}
          {detail.data && (
            <>
              <h4>
                <TicketTitleText title={ticketTitle(detail.data.subject, detail.data.body)} />
              </h4>
              <dl className="fields">
                <dt>ID</dt>
                <dd>{detail.data.externalId}</dd>
                <dt>Recorded {target}</dt>
                <dd>{detail.data.labels[target] ?? '—'}</dd>
                <dt>Predicted (active model)</dt>
                <dd>
                  {detail.data.predictions[target]
                    ? `${detail.data.predictions[target].label} (${percent(detail.data.predictions[target].confidence)})`
                    : '—'}
                </dd>
              </dl>
              <p className="body-text">{detail.data.body}</p>
            </>
          )}
        </section>
      )}
    </aside>
  )
}
