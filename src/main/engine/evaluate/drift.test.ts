import { describe, expect, it } from 'vitest'
import { driftBand, jensenShannonDistance, populationStabilityIndex, predictionDrift } from './drift.ts'

describe('prediction drift', () => {
  it('is zero for identical distributions', () => {
    const r = predictionDrift(['a', 'b', 'a', 'c'], ['c', 'a', 'b', 'a'])!
    expect(r.psi).toBe(0)
    expect(r.jsDistance).toBe(0)
    expect(r.band).toBe('stable')
  })

  it('matches a hand-worked PSI and JS distance', () => {
    // reference 50/50, current 80/20:
    // PSI = (0.8-0.5)ln(0.8/0.5) + (0.2-0.5)ln(0.2/0.5) = 0.3·0.470004 + 0.3·0.916291 = 0.415888
    const r = predictionDrift(['a', 'a', 'b', 'b'], ['a', 'a', 'a', 'a', 'b'])!
    expect(r.psi).toBeCloseTo(0.415888, 5)
    expect(r.band).toBe('significant')
    // m = (0.65, 0.35); JS = ½[0.5 log2(0.5/0.65) + 0.5 log2(0.5/0.35)] + ½[0.8 log2(0.8/0.65) + 0.2 log2(0.2/0.35)]
    const js = 0.5 * (0.5 * Math.log2(0.5 / 0.65) + 0.5 * Math.log2(0.5 / 0.35)) + 0.5 * (0.8 * Math.log2(0.8 / 0.65) + 0.2 * Math.log2(0.2 / 0.35))
    expect(r.jsDistance).toBeCloseTo(Math.sqrt(js), 10)
    expect(r.perClass).toEqual([
      { label: 'a', reference: 0.5, current: 0.8 },
      { label: 'b', reference: 0.5, current: 0.2 }
    ])
  })

  it('stays finite when a queue appears only in one period, and is 1 for disjoint ones', () => {
    expect(Number.isFinite(populationStabilityIndex([1, 0], [0, 1]))).toBe(true)
    expect(jensenShannonDistance([1, 0], [0, 1])).toBeCloseTo(1, 10)
  })

  it('gives no figure for an empty period, and bands at 0.1 and 0.2', () => {
    expect(predictionDrift([], ['a'])).toBeNull()
    expect(predictionDrift(['a'], [])).toBeNull()
    expect([driftBand(0.05), driftBand(0.1), driftBand(0.2), driftBand(0.21)]).toEqual(['stable', 'moderate', 'moderate', 'significant'])
  })
})
