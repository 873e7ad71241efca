// After a decision or an undo, the tickets that may have the decided ticket among their voting neighbours
// are predicted again with the active head, so the vote's use of the decision shows at once (no retraining).
import type { Db } from '../store/database.ts'
import { activeStoredHead } from './modelsRepo.ts'
import { ticketsNearDecisions } from './neighbourLabels.ts'
import { headOf, predictAll } from './predictTickets.ts'

/** Predicts the tickets near `ticketIds` again; returns how many were predicted (0: the head has no vote). */
export async function repredictNearDecisions(db: Db, target: string, ticketIds: readonly number[], sampleRate: number): Promise<number> {
  const active = activeStoredHead(db, target)
  if (!active) return 0
  const near = ticketsNearDecisions(db, target, headOf(db, active), ticketIds)
  if (near.length === 0) return 0
  return (await predictAll(db, active, sampleRate, undefined, near)).predicted
}
