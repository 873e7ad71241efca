// Words for thresholds that are not simply what the target precision derived: queues the review floor
// raised ("Storage: floor 0.50 (derived 0.00)") and queues a lead set below it on purpose.
import type { ReviewThresholdSet } from '../../shared/models.ts'

export interface ThresholdNote {
  readonly label: string
  readonly kind: 'floored' | 'deliberate'
  readonly text: string
}

const GLOBAL = 'Global'

export function thresholdNotes(t: Pick<ReviewThresholdSet, 'global' | 'perClass' | 'floor' | 'floored' | 'globalFloored' | 'deliberate' | 'globalDeliberate'>): ThresholdNote[] {
  const floor = t.floor ?? 0.5
  const notes: ThresholdNote[] = []
  if (t.globalFloored !== undefined) notes.push(floored(GLOBAL, floor, t.globalFloored))
  for (const [label, derived] of Object.entries(t.floored ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (t.perClass[label] === floor) notes.push(floored(label, floor, derived))
  }
  if (t.globalDeliberate) notes.push(deliberate(GLOBAL, t.global, floor))
  for (const label of [...(t.deliberate ?? [])].sort((a, b) => a.localeCompare(b))) {
    const value = t.perClass[label]
    if (value !== undefined) notes.push(deliberate(label, value, floor))
  }
  return notes
}

function floored(label: string, floor: number, derived: number): ThresholdNote {
  return { label, kind: 'floored', text: `${label}: floor ${floor.toFixed(2)} (derived ${derived.toFixed(2)})` }
}

function deliberate(label: string, value: number, floor: number): ThresholdNote {
  return { label, kind: 'deliberate', text: `${label}: ${value.toFixed(2)}, set below the floor ${floor.toFixed(2)} on purpose` }
}
