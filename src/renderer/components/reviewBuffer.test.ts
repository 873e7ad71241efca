import { describe, expect, it } from 'vitest'
import type { ReviewItem } from '../../shared/review.ts'
import { appendItems, current, EMPTY_BUFFER, moveBy, pendingAhead, reopen, settle, skipCurrent, startDecision, stillQueued } from './reviewBuffer.ts'

function item(ticketId: number): ReviewItem {
  return {
    ticketId,
    externalId: `T-${ticketId}`,
    subject: `Ticket ${ticketId}`,
    body: '',
    created: null,
    predicted: 'Billing',
    confidence: 0.4,
    margin: 0.1,
    candidates: [{ label: 'Billing', p: 0.4 }],
    current: null,
    reason: 'low_confidence'
  }
}

describe('review buffer', () => {
  it('appends pages without duplicates and knows when the queue is exhausted', () => {
    let b = appendItems(EMPTY_BUFFER, [item(1), item(2)], 2)
    expect(b.exhausted).toBe(false)
    b = appendItems(b, [item(2), item(3)], 50)
    expect(b.entries.map((e) => e.item.ticketId)).toEqual([1, 2, 3])
    expect(b.exhausted).toBe(true)
  })

  it('moves on at once after a decision and counts what is still queued for the next offset', () => {
    let b = appendItems(EMPTY_BUFFER, [item(1), item(2), item(3)], 3)
    b = startDecision(b, null)
    expect(current(b)?.item.ticketId).toBe(2)
    b = skipCurrent(b)
    expect(current(b)?.item.ticketId).toBe(3)
    // 1 is decided (left the engine's queue); 2 skipped and 3 pending are still in it.
    expect(stillQueued(b)).toBe(2)
    expect(pendingAhead(b)).toBe(1)
    b = startDecision(b, 'Sales')
    expect(b.index).toBe(3)
    expect(current(b)).toBeNull()
  })

  it('settles answers and reopens an undone ticket as current', () => {
    let b = appendItems(EMPTY_BUFFER, [item(1), item(2)], 2)
    b = startDecision(b, 'Sales')
    b = settle(b, 1, 'decided')
    expect(b.entries[0]).toMatchObject({ status: 'decided', chosen: 'Sales' })
    const reopened = reopen(b, 1)
    expect(reopened?.index).toBe(0)
    expect(reopened?.entries[0]).toMatchObject({ status: 'pending', chosen: null })
    expect(reopen(b, 99)).toBeNull()
    b = settle(b, 2, 'conflict', 'already decided')
    expect(b.entries[1]?.note).toBe('already decided')
  })

  it('j/k moves stay inside the buffer', () => {
    const b = appendItems(EMPTY_BUFFER, [item(1), item(2)], 2)
    expect(moveBy(b, -1).index).toBe(0)
    expect(moveBy(moveBy(b, 1), 1).index).toBe(1)
  })
})
