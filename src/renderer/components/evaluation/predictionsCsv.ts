// The predictions export: one line per ticket with its recorded label and the active head's prediction,
// built from inbox pages in the renderer because the contract has no bulk export.
import type { TicketRow } from '../../../shared/domain.ts'

export const PREDICTIONS_HEADER = ['id', 'external_id', 'recorded_label', 'predicted', 'confidence', 'needs_review'] as const

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

export function predictionLine(row: TicketRow, target: string): string {
  const prediction = row.predictions[target]
  return [
    String(row.id),
    row.externalId,
    row.labels[target] ?? '',
    prediction?.label ?? '',
    prediction ? prediction.confidence.toFixed(4) : '',
    prediction ? String(prediction.needsReview) : ''
  ]
    .map(csvField)
    .join(',')
}

export function predictionsCsv(rows: readonly TicketRow[], target: string): string {
  return [PREDICTIONS_HEADER.join(','), ...rows.map((r) => predictionLine(r, target))].join('\r\n') + '\r\n'
}
