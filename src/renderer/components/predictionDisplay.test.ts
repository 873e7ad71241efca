import { describe, expect, it } from 'vitest'
import { alternativesText, confidenceBand, confidencePercent, isMismatch } from './predictionDisplay.ts'

const prediction = {
  label: 'Billing',
  confidence: 0.874,
  top: [
    { label: 'Billing', p: 0.874 },
    { label: 'Sales', p: 0.08 },
    { label: 'Returns', p: 0.031 }
  ],
  needsReview: false,
  reviewReason: null
} as const

describe('prediction display', () => {
  it('shows confidence as a clamped whole percentage', () => {
    expect(confidencePercent(0.874)).toBe('87%')
    expect(confidencePercent(0.995)).toBe('100%')
    expect(confidencePercent(1.02)).toBe('100%')
    expect(confidencePercent(-0.1)).toBe('0%')
    expect(confidencePercent(Number.NaN)).toBe('—')
  })

  it('bands confidence at 0.8 and 0.5', () => {
    expect(confidenceBand(0.8)).toBe('high')
    expect(confidenceBand(0.79)).toBe('medium')
    expect(confidenceBand(0.5)).toBe('medium')
    expect(confidenceBand(0.49)).toBe('low')
  })

  it('lists the two runner-up labels, never the predicted one', () => {
    expect(alternativesText(prediction.top, 'Billing')).toBe('Sales 8%, Returns 3%')
    expect(alternativesText([{ label: 'Billing', p: 1 }], 'Billing')).toBe('no alternatives')
  })

  it('flags a mismatch only against a recorded label', () => {
    expect(isMismatch(prediction, 'Sales')).toBe(true)
    expect(isMismatch(prediction, 'Billing')).toBe(false)
    expect(isMismatch(prediction, undefined)).toBe(false)
    expect(isMismatch(undefined, 'Sales')).toBe(false)
  })
})
