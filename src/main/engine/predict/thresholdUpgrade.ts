// Heads stored before review thresholds had a floor may hold 0.00 for a queue, and their predictions were
// flagged with it: none of that queue's tickets is in review. Once, at engine start, such a head's
// thresholds are stored with the floor and its predictions re-flagged (no prediction is recomputed), so an
// existing database gets "review means what it says" without retraining. Recording `floor` makes it once.
import { withFloor } from '../learn/thresholdFloor.ts'
import type { Db } from '../store/database.ts'
import { readSettings } from '../store/settingsRepo.ts'
import { listHeads, updateThresholds } from './modelsRepo.ts'
import { reflagPredictions, reviewPolicy } from './predictionWriter.ts'

/** Returns the ids of the heads it upgraded. */
export function floorStoredThresholds(db: Db): number[] {
  const upgraded: number[] = []
  for (const head of listHeads(db)) {
    if (head.params.thresholds.floor !== undefined) continue
    const floored = withFloor(head.params.thresholds)
    updateThresholds(db, head.summary.id, floored)
    reflagPredictions(db, head.summary.id, reviewPolicy(floored, readSettings(db).reviewSampleRate))
    upgraded.push(head.summary.id)
  }
  return upgraded
}
