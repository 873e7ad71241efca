// A lead's edits of previewed per-queue thresholds, and which of them fall under the review floor.
export interface QueueEdits {
  readonly values: Readonly<Record<string, string>>
  readonly confirmedBelowFloor: boolean
}

export const NO_EDITS: QueueEdits = { values: {}, confirmedBelowFloor: false }

/** The per-queue thresholds to apply; null while an edited value is not a number from 0 to 1.01. */
export function editedThresholds(derived: Readonly<Record<string, number>>, edits: QueueEdits): Record<string, number> | null {
  const out: Record<string, number> = { ...derived }
  for (const [label, text] of Object.entries(edits.values)) {
    const v = Number(text)
    if (text.trim() === '' || !Number.isFinite(v) || v < 0 || v > 1.01) return null
    out[label] = v
  }
  return out
}

export function belowFloor(thresholds: Readonly<Record<string, number>>, floor: number): string[] {
  return Object.keys(thresholds)
    .filter((label) => thresholds[label]! < floor)
    .sort((a, b) => a.localeCompare(b))
}
