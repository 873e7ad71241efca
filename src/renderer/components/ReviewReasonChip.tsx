// Why a ticket is in review, as a chip: "review" when the model was unsure (below its queue's threshold),
// "sample" when it was confident and drawn for the audit sample that keeps the error rate above the
// threshold measured. A lead treats them differently: a sampled ticket is a check, not a doubt.
import type { ReviewReason } from '../../shared/review.ts'

const CHIP = {
  low_confidence: { text: 'review', title: 'Below the review threshold of its queue: the model is unsure.' },
  sample: { text: 'sample', title: 'Confident, but drawn for the audit sample that keeps the error rate of confident predictions measured.' }
} as const

export function ReviewReasonChip({ reason }: { reason: ReviewReason | null }) {
  const chip = CHIP[reason ?? 'low_confidence']
  return (
    <span className={`review-tag review-tag-${reason ?? 'low_confidence'}`} title={chip.title} data-review-reason={reason ?? 'low_confidence'}>
      {chip.text}
      <span className="sr-only">{reason === 'sample' ? ' (audit sample of confident predictions)' : ' (below the review threshold)'}</span>
    </span>
  )
}
