// The ticket under review, large: subject, why it is here, the prediction with its confidence, the
// numbered choices (digit keys), and the body.
import type { ReviewEntry } from './reviewBuffer.ts'
import type { ReviewChoice } from './reviewChoices.ts'
import { ConfidenceBar } from './ConfidenceBar.tsx'
import { ReviewReasonChip } from './ReviewReasonChip.tsx'
import { TicketTitleText } from './TicketTitleText.tsx'
import { ticketTitle } from '../../shared/ticketTitle.ts'
import { formatCreated } from './formatCreated.ts'
import { confidencePercent } from './predictionDisplay.ts'

const STATUS_TEXT = {
  pending: null,
  saving: 'Saving…',
  decided: 'Decided',
  skipped: 'Skipped',
  conflict: 'Already decided by someone else',
  gone: 'Ticket no longer exists'
} as const

export function ReviewTicketCard(props: { entry: ReviewEntry; target: string; choices: readonly ReviewChoice[]; onChoose: (label: string | null) => void }) {
  const { item, status } = props.entry
  const statusText = STATUS_TEXT[status]
  return (
    <article className="review-ticket" aria-label="Ticket under review" data-ticket-id={item.ticketId}>
      <header>
        <h2>
          <TicketTitleText title={ticketTitle(item.subject, item.body)} />
        </h2>
        <p className="muted">
          <ReviewReasonChip reason={item.reason} /> {item.externalId} · {formatCreated(item.created) || 'no date'} · {item.reason === 'sample' ? 'random sample of confident predictions' : 'below the review threshold'}
          {item.current !== null && (
            <>
              {' '}
              · recorded {props.target}: <strong>{item.current}</strong>
            </>
          )}
        </p>
        {statusText && (
          <p className={`entry-status entry-${status}`} role="status">
            {statusText}
            {props.entry.chosen ? `: ${props.entry.chosen}` : status === 'decided' ? `: accepted ${item.predicted}` : ''}
            {props.entry.note ? ` (${props.entry.note})` : ''}
          </p>
        )}
      </header>
      <p className="review-prediction">
        Predicted {props.target}: <strong>{item.predicted}</strong> <ConfidenceBar p={item.confidence} label={`Confidence in ${item.predicted}`} />
        <span className="muted" title="How far ahead of the runner-up the predicted label is: a small lead is a close call.">
          {' '}
          {confidencePercent(item.margin)} ahead of the next label
        </span>
      </p>
      <ol className="choices" aria-label="Choices">
        {props.choices.map((c) => (
          <li key={c.label}>
            <button type="button" onClick={() => props.onChoose(c.label === item.predicted ? null : c.label)} aria-keyshortcuts={String(c.key)}>
              <kbd>{c.key}</kbd> {c.label}
              {c.p !== null && <span className="muted"> {confidencePercent(c.p)}</span>}
              {c.label === item.predicted && <span className="hint"> (Enter)</span>}
            </button>
          </li>
        ))}
      </ol>
      <div className="body-text review-body" data-testid="review-body">{item.body || '(empty body)'}</div>
    </article>
  )
}
