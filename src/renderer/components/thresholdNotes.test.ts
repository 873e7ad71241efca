import { describe, expect, it } from 'vitest'
import { thresholdNotes } from './thresholdNotes.ts'
import { belowFloor, editedThresholds, NO_EDITS } from './queueThresholdEdits.ts'

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

describe('edited queue thresholds', () => {
  it('apply a lead\'s values over the preview, refuse non-numbers, and list those under the floor', () => {
    const derived = { Storage: 0.5, Hardware: 0.7 }
    expect(editedThresholds(derived, NO_EDITS)).toEqual(derived)
    const edited = editedThresholds(derived, { values: { Storage: '0.2' }, confirmedBelowFloor: false })
    expect(edited).toEqual({ Storage: 0.2, Hardware: 0.7 })
    expect(belowFloor(edited!, 0.5)).toEqual(['Storage'])
    expect(editedThresholds(derived, { values: { Storage: '' }, confirmedBelowFloor: false })).toBeNull()
    expect(editedThresholds(derived, { values: { Storage: '2' }, confirmedBelowFloor: false })).toBeNull()
  })
})
