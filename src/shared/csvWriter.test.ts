import fc from 'fast-check'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { csvDocument, csvField } from './csvWriter.ts'

describe('csvWriter', () => {
  it('quotes separators and defuses every formula start', () => {
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)")
    expect(csvField('+cmd|calc')).toBe("'+cmd|calc")
    expect(csvField('-2+3')).toBe("'-2+3")
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvField('\tx')).toBe("'\tx")
    expect(csvField('\rx')).toBe(`"'\rx"`)
    expect(csvField(-0.5)).toBe('-0.5')
    expect(csvField(null)).toBe('')
    expect(csvField(true)).toBe('true')
  })

  it('round-trips any text through a CSV reader, never leaving a live formula cell', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 2, maxLength: 2 }), { maxLength: 5 }), (rows) => {
        const parsed = parse(csvDocument(['a', 'b'], rows), { relax_column_count: false }) as string[][]
        expect(parsed.length).toBe(rows.length + 1)
        parsed.slice(1).forEach((cells, i) => {
          cells.forEach((cell, j) => {
            const original = rows[i]![j]!
            expect(cell).toBe(/^[=+\-@\t\r]/.test(original) ? `'${original}` : original)
            expect(/^[=+\-@\t\r]/.test(cell)).toBe(false)
          })
        })
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 200) }
    )
  })
})
