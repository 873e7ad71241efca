import { describe, expect, it } from 'vitest'
import { dayAfter, reviewFilterParams } from './reviewFilterParams.ts'

describe('review filter params', () => {
  it('passes only the filters that are set', () => {
    expect(reviewFilterParams({ target: 'queue', order: 'margin', predicted: '', importId: '', from: '', to: '' })).toEqual({ target: 'queue', order: 'margin' })
  })

  it('turns an inclusive end day into the exclusive next day', () => {
    expect(dayAfter('2024-03-31')).toBe('2024-04-01')
    expect(dayAfter('2024-12-31')).toBe('2025-01-01')
    expect(dayAfter('2024-02-28')).toBe('2024-02-29')
    expect(dayAfter('31/03/2024')).toBeNull()
    expect(reviewFilterParams({ target: 'queue', order: 'confidence', predicted: 'Billing', importId: '3', from: '2024-03-01', to: '2024-03-31' })).toEqual({
      target: 'queue',
      order: 'confidence',
      predicted: 'Billing',
      importId: 3,
      createdFrom: '2024-03-01',
      createdTo: '2024-04-01'
    })
  })
})
