import { describe, expect, it } from 'vitest'
import { thresholdNotes } from './thresholdNotes.ts'

describe('threshold notes', () => {
  it('name the queues the floor raised and those a lead set below it on purpose', () => {
    expect(
      thresholdNotes({ global: 0.5, globalFloored: 0.31, perClass: { Storage: 0.5, Access: 0.5, Purchase: 0.2, Hardware: 0.7 }, floor: 0.5, floored: { Storage: 0, Access: 0 }, deliberate: ['Purchase'] }).map((n) => n.text)
    ).toEqual([
      'Global: floor 0.50 (derived 0.31)',
      'Access: floor 0.50 (derived 0.00)',
      'Storage: floor 0.50 (derived 0.00)',
      'Purchase: 0.20, set below the floor 0.50 on purpose'
    ])
    expect(thresholdNotes({ global: 0.8, perClass: { Hardware: 0.7 } })).toEqual([])
  })
})
