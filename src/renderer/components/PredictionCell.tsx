// One ticket's prediction in the inbox grid: label, confidence bar with the percentage, the runner-ups
// in the title, a "≠" marker with text where the model disagrees with the recorded label, and a chip when
// it is flagged: "review" when unsure, "sample" when drawn for the audit sample.
import type { TicketPrediction } from '../../shared/models.ts'
import { ConfidenceBar } from './ConfidenceBar.tsx'
import { ReviewReasonChip } from './ReviewReasonChip.tsx'
import { alternativesText, isMismatch } from './predictionDisplay.ts'

export function PredictionCell({ prediction, recorded }: { prediction: TicketPrediction | undefined; recorded: string | undefined }) {
  if (!prediction) return <span className="muted">—</span>
  const mismatch = isMismatch(prediction, recorded)
  return (
    <span className="prediction-cell" title={`Alternatives: ${alternativesText(prediction.top, prediction.label)}`}>
      {mismatch && (
        <span className="mismatch-mark" title={`Recorded: ${recorded ?? ''}`}>
          ≠<span className="sr-only"> differs from recorded {recorded}</span>
        </span>
      )}
      <span className="predicted-label">{prediction.label}</span>
      <ConfidenceBar p={prediction.confidence} label={`Confidence in ${prediction.label}`} />
      {prediction.needsReview && <ReviewReasonChip reason={prediction.reviewReason} />}
    </span>
  )
}
