import { describe, expect, it } from 'vitest'
import { formatPace, pacePerMinute, reviewChoices, searchLabels } from './reviewChoices.ts'

const labels = ['Technical Support', 'Billing and Payments', 'Product Support', 'Returns and Exchanges', 'Sales and Pre-Sales', 'IT Support', 'Customer Service', 'Human Resources', 'Service Outages', 'General Inquiry']

describe('review choices', () => {
  it('numbers the ranked candidates first, then other labels, at most nine', () => {
    const choices = reviewChoices(
      { predicted: 'IT Support', candidates: [{ label: 'Technical Support', p: 0.3 }, { label: 'IT Support', p: 0.45 }] },
      labels
    )
    expect(choices).toHaveLength(9)
    expect(choices[0]).toEqual({ key: 1, label: 'IT Support', p: 0.45 })
    expect(choices[1]).toEqual({ key: 2, label: 'Technical Support', p: 0.3 })
    expect(choices[2]).toEqual({ key: 3, label: 'Billing and Payments', p: null })
    expect(new Set(choices.map((c) => c.label)).size).toBe(9)
  })

  it('keeps the prediction first even when it is missing from the candidates', () => {
    expect(reviewChoices({ predicted: 'Sales', candidates: [] }, [])[0]).toEqual({ key: 1, label: 'Sales', p: null })
  })

  it('searches labels by every word, prefix matches first', () => {
    expect(searchLabels(labels, 'support')).toEqual(['Technical Support', 'Product Support', 'IT Support'])
    expect(searchLabels(labels, 'serv')).toEqual(['Service Outages', 'Customer Service'])
    expect(searchLabels(labels, 'sup prod')).toEqual(['Product Support'])
    expect(searchLabels(labels, '')).toEqual(labels)
  })

  it('measures pace over the session', () => {
    expect(pacePerMinute(0, 0, 60_000)).toBeNull()
    expect(pacePerMinute(20, 0, 120_000)).toBe(10)
    // The first second does not count as a near-zero interval.
    expect(pacePerMinute(1, 0, 10)).toBe(60)
    expect(formatPace(7.25)).toBe('7.3 tickets/min')
    expect(formatPace(12.4)).toBe('12 tickets/min')
    expect(formatPace(null)).toBe('— tickets/min')
  })
})
