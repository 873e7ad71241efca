import { describe, expect, it } from 'vitest'
import type { HeadMetrics } from '../../shared/models.ts'
import { metricRows, percent } from './modelMetrics.ts'

const base: HeadMetrics = { accuracy: 0.862, macroF1: 0.8012, ece: 0.041, validationRows: 400, validationMethod: 'stratified', coverageAt90: 0.73 }

describe('model metric rows', () => {
  it('formats each metric without a previous model', () => {
    expect(metricRows(base, null)).toEqual([
      { name: 'Held-out accuracy', current: '86.2%', previous: '—', change: null },
      { name: 'Macro-F1', current: '0.801', previous: '—', change: null },
      { name: 'Calibration error (ECE)', current: '0.041', previous: '—', change: null },
      { name: 'Coverage at 90% precision', current: '73.0%', previous: '—', change: null }
    ])
  })

  it('says better or worse by the metric direction (ECE: lower is better)', () => {
    const rows = metricRows(base, { ...base, accuracy: 0.85, ece: 0.03, macroF1: 0.8014 })
    expect(rows.map((r) => r.change)).toEqual(['better', 'same', 'worse', 'same'])
    expect(rows[0]?.previous).toBe('85.0%')
  })

  it('shows a dash for a missing number', () => {
    expect(percent(Number.NaN)).toBe('—')
  })
})
