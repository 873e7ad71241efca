// The predictions export: one line per ticket with its recorded label and the active head's prediction,
// built from inbox pages in the renderer because the contract has no bulk export.
import type { TicketRow } from '../../../shared/domain.ts'
import { csvDocument, type CsvValue } from '../../../shared/csvWriter.ts'

export const PREDICTIONS_HEADER = ['id', 'external_id', 'recorded_label', 'predicted', 'confidence', 'needs_review'] as const

function predictionCells(row: TicketRow, target: string): CsvValue[] {
  const prediction = row.predictions[target]
  return [
    row.id,
    row.externalId,
    row.labels[target] ?? '',
    prediction?.label ?? '',
    prediction ? prediction.confidence.toFixed(4) : '',
    prediction ? prediction.needsReview : ''
  ]
}

export function predictionsCsv(rows: readonly TicketRow[], target: string): string {
  return csvDocument(PREDICTIONS_HEADER, rows.map((r) => predictionCells(r, target)))
}
