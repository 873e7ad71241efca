// Review workflow types shared by the engine and the UI.
/** Why a ticket is in review: below its queue's threshold, or drawn for the audit sample of confident ones. */
export type ReviewReason = 'low_confidence' | 'sample'

/** The reviewer name a fresh install records decisions under; the Review page asks for a real one first. */
export const DEFAULT_REVIEWER_NAME = 'reviewer'

export interface ReviewCandidate {
  readonly label: string
  readonly p: number
}

export interface ReviewItem {
  readonly ticketId: number
  readonly externalId: string
  readonly subject: string
  readonly body: string
  readonly created: string | null
  readonly predicted: string
  readonly confidence: number
  readonly margin: number
  readonly candidates: readonly ReviewCandidate[]
  /** The ticket's recorded label for the target, if any. */
  readonly current: string | null
  /** Flagged below threshold, or sampled from the confident ones to keep the error rate measured. */
  readonly reason: 'low_confidence' | 'sample'
}

export interface ReviewDecision {
  readonly reviewId: number
  readonly ticketId: number
  /** The ticket's id as the user knows it, for messages (absent only from an engine older than the field). */
  readonly externalId?: string
  readonly action: 'accept' | 'correct' | 'undo'
  readonly from: string | null
  readonly to: string | null
}

/** What `review.undoBatch` undid: every decision of one "Accept all" that still stood. */
export interface ReviewBatchUndo {
  readonly batchId: string
  readonly target: string | null
  readonly undone: number
}

export interface AuditRow {
  readonly id: number
  readonly at: string
  readonly who: string
  readonly ticketId: number
  readonly externalId: string | null
  readonly target: string
  readonly action: 'accept' | 'correct' | 'undo'
  readonly predicted: string | null
  readonly from: string | null
  readonly to: string | null
  readonly undone: boolean
  /** The "Accept all" this decision (or its undo) belongs to; null for a decision made on its own. */
  readonly batchId?: string | null
  /** Team sync: a later decision in the team's order replaced this one on the same ticket and target
   * (it stays here as history). Absent when it was not superseded. */
  readonly superseded?: true
}
