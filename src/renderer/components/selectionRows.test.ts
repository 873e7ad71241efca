import { describe, expect, it } from 'vitest'
import { chosenText, formatL2, selectionRows } from './selectionRows.ts'

describe('selectionRows', () => {
  it('writes l2 as a power of ten', () => {
    expect(formatL2(0.001)).toBe('1e-3')
    expect(formatL2(1e-5)).toBe('1e-5')
    expect(formatL2(3e-4)).toBe('3e-4')
  })

  it('marks the chosen grid point and formats its figures', () => {
    const selection = {
      criterion: 'validation log-loss',
      curve: [
        { l2: 1e-3, embeddingScale: 1, nll: 0.51234, accuracy: 0.8412, iterations: 20, seconds: 3 },
        { l2: 1e-4, embeddingScale: 1, nll: 0.40001, accuracy: 0.8651, iterations: 12, seconds: 2 }
      ],
      l2: 1e-4,
      embeddingScale: 1,
      blendWeight: 0.4,
      sharpness: 4
    }
    const rows = selectionRows(selection)
    expect(rows.map((r) => r.chosen)).toEqual([false, true])
    expect(rows[1]).toMatchObject({ l2: '1e-4', logLoss: '0.4000', accuracy: '86.5%', iterations: '12' })
    expect(chosenText(selection)).toBe('l2 1e-4, embedding weight 1, neighbour-vote blend 0.4 (sharpness 4)')
    expect(chosenText({ ...selection, blendWeight: 0 })).toContain('no neighbour vote')
  })
})
