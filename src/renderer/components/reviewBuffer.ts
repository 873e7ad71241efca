// The review session's local copy of the queue: tickets fetched ahead (so the next one shows at once),
// what happened to each in this session, and which one is current. Pure functions, so the keyboard flow
// can be tested without a browser. Decided tickets leave the engine's queue; pending and skipped ones
// stay in it, which is what the next page's offset counts.
import type { ReviewItem } from '../../shared/review.ts'

export type EntryStatus = 'pending' | 'saving' | 'decided' | 'skipped' | 'conflict' | 'gone'

export interface ReviewEntry {
  readonly item: ReviewItem
  readonly status: EntryStatus
  /** The label chosen in this session (null: accepted the prediction or not decided). */
  readonly chosen: string | null
  readonly note: string | null
}

export interface ReviewBuffer {
  readonly entries: readonly ReviewEntry[]
  /** The current entry; equal to entries.length while the next page loads or when the queue is done. */
  readonly index: number
  /** The engine returned a short page: nothing more to fetch. */
  readonly exhausted: boolean
}

export const EMPTY_BUFFER: ReviewBuffer = { entries: [], index: 0, exhausted: false }

export function appendItems(buffer: ReviewBuffer, items: readonly ReviewItem[], requested: number): ReviewBuffer {
  const known = new Set(buffer.entries.map((e) => e.item.ticketId))
  const fresh = items.filter((item) => !known.has(item.ticketId)).map((item): ReviewEntry => ({ item, status: 'pending', chosen: null, note: null }))
  return { ...buffer, entries: [...buffer.entries, ...fresh], exhausted: items.length < requested }
}

/** How many fetched tickets are still in the engine's queue: the offset of the next page. */
export function stillQueued(buffer: ReviewBuffer): number {
  return buffer.entries.filter((e) => e.status === 'pending' || e.status === 'skipped').length
}

/** Pending tickets at or after the current one: when few are left, fetch the next page. */
export function pendingAhead(buffer: ReviewBuffer): number {
  return buffer.entries.slice(buffer.index).filter((e) => e.status === 'pending').length
}

export function current(buffer: ReviewBuffer): ReviewEntry | null {
  return buffer.entries[buffer.index] ?? null
}

function nextPendingAfter(entries: readonly ReviewEntry[], index: number): number {
  for (let i = index + 1; i < entries.length; i++) if (entries[i]?.status === 'pending') return i
  return entries.length
}

function update(buffer: ReviewBuffer, index: number, patch: Partial<ReviewEntry>): readonly ReviewEntry[] {
  return buffer.entries.map((e, i) => (i === index ? { ...e, ...patch } : e))
}

/** Records the decision as in flight and moves on to the next pending ticket without waiting. */
export function startDecision(buffer: ReviewBuffer, chosen: string | null): ReviewBuffer {
  const entries = update(buffer, buffer.index, { status: 'saving', chosen, note: null })
  return { ...buffer, entries, index: nextPendingAfter(entries, buffer.index) }
}

export function skipCurrent(buffer: ReviewBuffer): ReviewBuffer {
  if (!current(buffer)) return buffer
  const entries = update(buffer, buffer.index, { status: 'skipped' })
  return { ...buffer, entries, index: nextPendingAfter(entries, buffer.index) }
}

export function moveBy(buffer: ReviewBuffer, delta: number): ReviewBuffer {
  const last = buffer.entries.length - 1
  if (last < 0) return buffer
  return { ...buffer, index: Math.max(0, Math.min(last, buffer.index + delta)) }
}

/** The engine's answer to a decision: decided, or why it was not recorded. `pending` puts it back. */
export function settle(buffer: ReviewBuffer, ticketId: number, status: EntryStatus, note: string | null = null): ReviewBuffer {
  const index = buffer.entries.findIndex((e) => e.item.ticketId === ticketId)
  if (index < 0) return buffer
  return { ...buffer, entries: update(buffer, index, { status, note, ...(status === 'pending' ? { chosen: null } : {}) }) }
}

/** After an undo: the ticket is undecided again and becomes current. Null when it is not in this buffer. */
export function reopen(buffer: ReviewBuffer, ticketId: number): ReviewBuffer | null {
  const index = buffer.entries.findIndex((e) => e.item.ticketId === ticketId)
  if (index < 0) return null
  return { ...buffer, entries: update(buffer, index, { status: 'pending', chosen: null, note: null }), index }
}
