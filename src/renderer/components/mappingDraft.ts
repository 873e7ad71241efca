// The mapping form's state, and its conversion to and from the contract's ColumnMapping.
import type { ColumnMapping, CsvPreview, TicketField } from '../../shared/domain.ts'

export interface TargetChoice {
  readonly enabled: boolean
  readonly name: string
}

export interface MappingDraft {
  readonly fields: Readonly<Partial<Record<TicketField, number>>>
  /** One entry per column, by index. */
  readonly targets: readonly TargetChoice[]
}

export function draftFromPreview(preview: CsvPreview): MappingDraft {
  const targets: TargetChoice[] = preview.headers.map((header) => ({ enabled: false, name: targetNameFor(header) }))
  for (const [name, index] of Object.entries(preview.mapping.targets)) {
    if (targets[index]) targets[index] = { enabled: true, name }
  }
  return { fields: { ...preview.mapping.fields }, targets }
}

function targetNameFor(header: string): string {
  return header.trim().toLowerCase().replace(/\s+/g, '_').slice(0, 100) || 'label'
}

/** The contract's mapping from the form; returns an error line instead when the draft cannot import. */
export function mappingFromDraft(draft: MappingDraft, extraText: readonly number[] | undefined): ColumnMapping | string {
  // A Map, not an object: a target may be called anything, "constructor" and "__proto__" included.
  const chosen = new Map<string, number>()
  for (const [index, choice] of draft.targets.entries()) {
    if (!choice.enabled) continue
    const name = choice.name.trim()
    if (!name) return `Give the label target in column ${index + 1} a name.`
    if (chosen.has(name)) return `Two label targets are both called "${name}".`
    chosen.set(name, index)
  }
  const targets = Object.fromEntries(chosen)
  if (draft.fields.subject === undefined && draft.fields.body === undefined) {
    return 'Map at least a subject or a body column: tickets need some text.'
  }
  return extraText && extraText.length > 0 ? { fields: draft.fields, targets, extraText } : { fields: draft.fields, targets }
}
