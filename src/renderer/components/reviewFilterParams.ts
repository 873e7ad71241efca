// The Review page's filter form as review.queue parameters. Dates are whole days in the form; the
// engine's createdTo is exclusive, so "to 31 March" asks for created < 1 April.
import type { ReviewFilter } from './useReviewSession.ts'

export interface ReviewFilterForm {
  readonly target: string
  readonly order: 'confidence' | 'margin'
  readonly predicted: string
  readonly importId: string
  readonly from: string
  readonly to: string
}

export function dayAfter(day: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!match) return null
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1))
  return date.toISOString().slice(0, 10)
}

export function reviewFilterParams(form: ReviewFilterForm): ReviewFilter {
  const importId = Number(form.importId)
  const to = form.to ? dayAfter(form.to) : null
  return {
    target: form.target,
    order: form.order,
    ...(form.predicted ? { predicted: form.predicted } : {}),
    ...(form.importId && Number.isInteger(importId) && importId > 0 ? { importId } : {}),
    ...(/^\d{4}-\d{2}-\d{2}$/.test(form.from) ? { createdFrom: form.from } : {}),
    ...(to ? { createdTo: to } : {})
  }
}
