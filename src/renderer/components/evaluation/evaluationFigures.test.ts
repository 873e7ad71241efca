import { describe, expect, it } from 'vitest'
import { cellName, coverageAt, curvePointAt, formatThreshold, HEADLINE_NAMES, headlines, markerLabelSide, measurableWeeks, rowShares, sortClasses } from './evaluationFigures.ts'
import { heatShade } from './palette.ts'
import { classFigures as figures, REPORT } from './reportFixture.ts'

describe('evaluation figures', () => {
  it('formats the headline figures with the digits the Models page uses', () => {
    expect(headlines(REPORT).map((h) => h.name)).toEqual([...HEADLINE_NAMES])
    expect(headlines(REPORT).map((h) => [h.name, h.value])).toEqual([
      ['Accuracy', '75.0%'],
      ['Macro-F1', '0.733'],
      ['Weighted-F1', '0.744'],
      ['Calibration error (ECE)', '0.063'],
      ['Coverage at 90% precision', '25.0%'],
      ['Top-3 accuracy', '100.0%']
    ])
    expect(headlines({ ...REPORT, ece: null, top3: null, coverageAtPrecision: {} }).map((h) => h.value).slice(3)).toEqual(['—', '—', '—'])
  })

  it('finds coverage at a precision whatever digits key it', () => {
    expect(coverageAt(REPORT, 0.9)?.coverage).toBe(0.25)
    expect(coverageAt({ ...REPORT, coverageAtPrecision: { '0.9': { threshold: 0.7, coverage: 0.5, precision: 0.91 } } }, 0.9)?.coverage).toBe(0.5)
    expect(coverageAt(REPORT, 0.95)).toBeNull()
  })

  it('normalises confusion rows and leaves empty rows at zero', () => {
    expect(rowShares([[1, 3], [0, 0]])).toEqual([[0.25, 0.75], [0, 0]])
  })

  it('names a cell as a user would read it', () => {
    expect(cellName('Hardware', 'Access', 12)).toBe('Hardware predicted as Access: 12')
  })

  it('reads a threshold off the curve at the step at or below it', () => {
    expect(curvePointAt(REPORT.curve, 0.5)?.coverage).toBe(0.75)
    expect(curvePointAt(REPORT.curve, 0.89)?.threshold).toBe(0.5)
    expect(curvePointAt(REPORT.curve, 0.99)?.precision).toBe(1)
    expect(curvePointAt([], 0.5)).toBeNull()
  })

  it('sorts the per-queue table by any column, ties by label', () => {
    const rows = [figures('b', 0.5, 10), figures('a', 0.5, 3), figures('c', 0.9, 1)]
    expect(sortClasses(rows, 'f1', 'desc').map((r) => r.label)).toEqual(['c', 'a', 'b'])
    expect(sortClasses(rows, 'support', 'asc').map((r) => r.label)).toEqual(['c', 'a', 'b'])
    expect(sortClasses(rows, 'label', 'asc').map((r) => r.label)).toEqual(['a', 'b', 'c'])
  })

  it('writes a threshold above 1 as never', () => {
    expect(formatThreshold(0.9)).toBe('0.90')
    expect(formatThreshold(1.01)).toBe('never')
  })

  it('shades from white to blue with readable text', () => {
    expect(heatShade(0)).toEqual({ fill: 'rgb(255, 255, 255)', text: '#1d232b' })
    expect(heatShade(1)).toEqual({ fill: 'rgb(0, 114, 178)', text: '#ffffff' })
    expect(heatShade(2).fill).toBe('rgb(0, 114, 178)')
  })

  it('draws weekly review accuracy only for weeks with enough reviews', () => {
    const weeks = [
      { start: '2026-11-02', reviewed: 25, accuracy: 0.8 },
      { start: '2026-11-09', reviewed: 3, accuracy: 1 },
      { start: '2026-11-16', reviewed: 20, accuracy: 0.9 }
    ]
    expect(measurableWeeks(weeks)).toEqual({ shown: [weeks[0], weeks[2]], hidden: 1, reviewed: 48 })
    expect(measurableWeeks([{ start: '2026-11-02', reviewed: 19, accuracy: 1 }]).shown).toEqual([])
  })

  it('puts the in-use marker label where the plot has room', () => {
    expect(markerLabelSide({ coverage: 0.95 })).toBe('left')
    expect(markerLabelSide({ coverage: 0.3 })).toBe('right')
  })
})
