import { describe, expect, it } from 'vitest'
import type { CsvPreview } from '../../shared/domain.ts'
import { draftFromPreview, mappingFromDraft } from './mappingDraft.ts'

const preview: CsvPreview = {
  fileName: 'x.csv',
  bytes: 10,
  encoding: 'utf-8',
  delimiter: ',',
  headers: ['Ticket ID', 'Subject', 'Body', 'Queue'],
  sampleRows: [],
  preset: 'generic',
  mapping: { fields: { externalId: 0, subject: 1, body: 2 }, targets: { queue: 3 } }
}

describe('mapping draft', () => {
  it('starts from the engine’s auto-mapping and round-trips to the same ColumnMapping', () => {
    const draft = draftFromPreview(preview)
    expect(draft.targets.map((t) => t.enabled)).toEqual([false, false, false, true])
    expect(draft.targets[0]?.name).toBe('ticket_id')
    expect(mappingFromDraft(draft, undefined)).toEqual(preview.mapping)
  })

  it('says what is wrong instead of sending an unusable mapping', () => {
    const draft = draftFromPreview(preview)
    const unnamed = { ...draft, targets: draft.targets.map((t, i) => (i === 0 ? { enabled: true, name: ' ' } : t)) }
    expect(mappingFromDraft(unnamed, undefined)).toMatch(/column 1 a name/)
    const twice = { ...draft, targets: draft.targets.map((t, i) => (i === 1 ? { enabled: true, name: 'queue' } : t)) }
    expect(mappingFromDraft(twice, undefined)).toMatch(/both called "queue"/)
    expect(mappingFromDraft({ ...draft, fields: { externalId: 0 } }, undefined)).toMatch(/subject or a body/)
  })

  it('keeps odd target names as plain keys', () => {
    const draft = draftFromPreview(preview)
    const odd = { ...draft, targets: draft.targets.map((t, i) => (i === 3 ? { enabled: true, name: '__proto__' } : t)) }
    const mapping = mappingFromDraft(odd, [2])
    expect(typeof mapping).toBe('object')
    expect(Object.keys((mapping as { targets: object }).targets)).toEqual(['__proto__'])
    expect((mapping as { extraText?: number[] }).extraText).toEqual([2])
  })
})
