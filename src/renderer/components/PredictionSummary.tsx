// A ticket's predictions in the detail panel: per target, the predicted label with its confidence, the
// top three, and why it is flagged for review.
import type { TicketPrediction } from '../../shared/models.ts'
import { ConfidenceBar } from './ConfidenceBar.tsx'
import { confidencePercent, isMismatch, reviewReasonText } from './predictionDisplay.ts'

export function PredictionSummary(props: { predictions: Readonly<Record<string, TicketPrediction>>; labels: Readonly<Record<string, string>> }) {
  const entries = Object.entries(props.predictions)
  if (entries.length === 0) return null
  return (
    <section aria-label="Predictions">
      <h3>Predictions</h3>
      {entries.map(([target, prediction]) => (
        <div key={target} className="prediction-summary">
          <p>
            <span className="muted">{target}: </span>
            <strong>{prediction.label}</strong> <ConfidenceBar p={prediction.confidence} label={`Confidence in ${prediction.label}`} />
            {prediction.needsReview && <span className="review-tag">needs review ({reviewReasonText(prediction.reviewReason)})</span>}
            {isMismatch(prediction, props.labels[target]) && <span className="mismatch-mark">≠ recorded {props.labels[target]}</span>}
          </p>
          <ol className="top-labels" aria-label={`Top ${target} labels`}>
            {prediction.top.map((t) => (
              <li key={t.label}>
                {t.label} <span className="muted">{confidencePercent(t.p)}</span>
              </li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  )
}
