import { describe, expect, it } from 'vitest'
import { ETA_AFTER_MS, RATE_WINDOW_MS, addSample, secondsLeft, timeLeftWords, type BarSample } from './jobEta.ts'

function bar(points: readonly (readonly [number, number])[]): BarSample[] {
  return points.reduce<BarSample[]>((s, [at, overall]) => addSample(s, { at, overall }), [])
}

describe('secondsLeft', () => {
  it('says nothing in the first seconds, nor before the bar has moved', () => {
    expect(secondsLeft(bar([[0, 0]]), 1000)).toBeNull()
    expect(secondsLeft(bar([[0, 0], [ETA_AFTER_MS - 1, 0.5]]), ETA_AFTER_MS - 1)).toBeNull()
    expect(secondsLeft(bar([[0, 0], [10_000, 0.001]]), 10_000)).toBeNull()
  })

  it('extrapolates a steady bar', () => {
    // 5 % a second: at 40 % there are 12 s left, and 2 s later 10 s.
    const b = bar([[0, 0], [4000, 0.2], [8000, 0.4]])
    expect(secondsLeft(b, 8000)).toBeCloseTo(12, 5)
    expect(secondsLeft(b, 10_000)).toBeCloseTo(10, 5)
  })

  it('follows the recent rate when a later phase runs faster', () => {
    const slow = Array.from({ length: 61 }, (_, i) => [i * 1000, i * 0.005] as const)
    // Then 2 % a second for the last 30 s: 0.3 → 0.9.
    const fast = Array.from({ length: 30 }, (_, i) => [61_000 + i * 1000, 0.3 + (i + 1) * 0.02] as const)
    const b = bar([...slow, ...fast])
    const left = secondsLeft(b, 90_000)!
    expect(left).toBeGreaterThan(4)
    expect(left).toBeLessThan(6)
    // The window keeps the start and recent samples only.
    expect(b.length).toBeLessThan(2 + (2 * RATE_WINDOW_MS) / 1000 + 2)
  })

  it('is zero at the end and never negative', () => {
    expect(secondsLeft(bar([[0, 0], [5000, 1]]), 5000)).toBe(0)
    expect(secondsLeft(bar([[0, 0], [5000, 0.5]]), 60_000)).toBe(0)
  })
})

describe('timeLeftWords', () => {
  it('rounds to what a person reads', () => {
    expect(timeLeftWords(null)).toBeNull()
    expect(timeLeftWords(4)).toBe('a few seconds left')
    expect(timeLeftWords(42)).toBe('about 40 s left')
    expect(timeLeftWords(130)).toBe('about 2 min left')
    expect(timeLeftWords(3900)).toBe('about 1 h 5 min left')
  })
})
