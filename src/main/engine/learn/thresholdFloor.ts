// The floor under review thresholds. A threshold derived from a target precision can come out at 0.00:
// every validation prediction of a small queue happened to be right, so any confidence "reaches" the
// target, and the queue's tickets are all routed without review, a 38 % guess included. Derived
// thresholds are therefore held at a floor; only a lead, on purpose, sets one lower.
import type { ReviewThresholdSet } from '../../../shared/models.ts'

/**
 * 0.5, the same for every queue. Confidences are calibrated, so below 0.5 the model itself says its label
 * is more likely wrong than right: routing such a ticket without review is not what "confident" means,
 * whatever a handful of validation tickets suggested. Chosen over "the queue's calibrated accuracy at
 * 50 % coverage" because that figure is itself estimated from the same few validation tickets that gave
 * the 0.00 (small queues are exactly the ones that need the floor), and a fixed 0.5 is one sentence a lead
 * can check against the confidence shown on every ticket.
 */
export const REVIEW_FLOOR = 0.5

/** Derived thresholds with the floor applied; the raw values that were raised are kept to be shown. */
export function floorDerived(global: number, perClass: Readonly<Record<string, number>>, floor = REVIEW_FLOOR): ReviewThresholdSet {
  return withFloor({ global, perClass, floor })
}

/**
 * Thresholds a lead applied: each value stands as given. Values below the floor are recorded as deliberate
 * (so that later reads keep them); `derived` (what the previewed precision gave, before the floor) lets
 * the queues the floor raised still be shown as such.
 */
export function leadThresholds(
  global: number,
  perClass: Readonly<Record<string, number>>,
  derived?: Pick<ReviewThresholdSet, 'floored' | 'globalFloored'>,
  floor = REVIEW_FLOOR
): ReviewThresholdSet {
  const deliberate = Object.keys(perClass).filter((label) => perClass[label]! < floor)
  const floored: Record<string, number> = {}
  for (const [label, raw] of Object.entries(derived?.floored ?? {})) {
    if (perClass[label] === floor) floored[label] = raw
  }
  return {
    global,
    perClass: { ...perClass },
    floor,
    ...(Object.keys(floored).length ? { floored } : {}),
    ...(derived?.globalFloored !== undefined && global === floor ? { globalFloored: derived.globalFloored } : {}),
    ...(deliberate.length ? { deliberate } : {}),
    ...(global < floor ? { globalDeliberate: true } : {})
  }
}

/**
 * The thresholds in force: every value below the floor that no lead set on purpose is raised to it. Also
 * how models stored before the floor existed (no `floor` recorded, 0.00 thresholds and all) are read, so
 * their predictions are flagged with the floor as soon as they are written or re-flagged again.
 */
export function withFloor(t: ReviewThresholdSet): ReviewThresholdSet {
  const floor = t.floor ?? REVIEW_FLOOR
  const deliberate = new Set(t.deliberate ?? [])
  const perClass: Record<string, number> = {}
  const floored: Record<string, number> = { ...t.floored }
  for (const [label, value] of Object.entries(t.perClass)) {
    if (value < floor && !deliberate.has(label)) {
      perClass[label] = floor
      floored[label] = value
    } else perClass[label] = value
  }
  const raiseGlobal = t.global < floor && !t.globalDeliberate
  const globalFloored = raiseGlobal ? t.global : t.globalFloored
  return {
    global: raiseGlobal ? floor : t.global,
    perClass,
    floor,
    ...(Object.keys(floored).length ? { floored } : {}),
    ...(globalFloored !== undefined ? { globalFloored } : {}),
    ...(t.deliberate?.length ? { deliberate: [...t.deliberate] } : {}),
    ...(t.globalDeliberate ? { globalDeliberate: true } : {})
  }
}
