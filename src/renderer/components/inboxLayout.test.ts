import { describe, expect, it } from 'vitest'
import { fieldHasData, idColumnWidth, MAX_COLUMN_PX, MIN_COLUMN_PX, parseColumnWidths, similarityLabel } from './inboxLayout.ts'

describe('fieldHasData', () => {
  it('hides a field the engine says no ticket has', () => {
    const columns = { fields: [], targets: [], fieldsWithData: ['externalId', 'body'] as const }
    expect(fieldHasData(columns, 'externalId')).toBe(true)
    expect(fieldHasData(columns, 'status')).toBe(false)
  })

  it('shows every field when the engine does not say', () => {
    expect(fieldHasData(null, 'status')).toBe(true)
    expect(fieldHasData({ fields: [], targets: [] }, 'priority')).toBe(true)
  })
})

describe('idColumnWidth', () => {
  it('fits the longest id, within bounds', () => {
    expect(idColumnWidth(undefined)).toBe(100)
    expect(idColumnWidth(1)).toBe(64)
    expect(idColumnWidth(12)).toBe(12 * 8 + 16)
    expect(idColumnWidth(400)).toBe(260)
  })
})

describe('similarityLabel', () => {
  it('reads a cosine as a percentage', () => {
    expect(similarityLabel(0.874)).toBe('87% similar')
    expect(similarityLabel(1)).toBe('100% similar')
    expect(similarityLabel(-0.2)).toBe('0% similar')
    expect(similarityLabel(Number.NaN)).toBe('0% similar')
  })
})

describe('parseColumnWidths', () => {
  it('keeps numbers, clamped, and drops anything else', () => {
    expect(parseColumnWidths(JSON.stringify({ externalId: 180.4, created: 5, status: 99_999, priority: 'wide', 'label:queue': null }))).toEqual({
      externalId: 180,
      created: MIN_COLUMN_PX,
      status: MAX_COLUMN_PX
    })
  })

  it('treats a missing or broken store as no widths', () => {
    expect(parseColumnWidths(null)).toEqual({})
    expect(parseColumnWidths('{not json')).toEqual({})
    expect(parseColumnWidths('[1,2]')).toEqual({})
  })
})
