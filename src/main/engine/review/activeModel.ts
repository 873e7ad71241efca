// The active head of a target: predictions and the review queue are always read for this model.
import type { Db } from '../store/database.ts'

export interface ActiveHead {
  readonly id: number
  readonly name: string
  readonly target: string
  readonly version: number
}

export function activeHead(db: Db, target: string): ActiveHead | undefined {
  return db
    .prepare<[string], ActiveHead>("SELECT id, name, target, version FROM models WHERE kind = 'head' AND target = ? AND active = 1")
    .get(target)
}
