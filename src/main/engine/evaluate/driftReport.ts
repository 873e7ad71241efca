// Drift of the active model's predictions by week of ticket creation, each week compared with the
// distribution of the labels it was trained on.
import type { DriftPeriod, DriftView } from '../../../shared/evaluation.ts'
import { activeStoredHead } from '../predict/modelsRepo.ts'
import { headOf } from '../predict/predictTickets.ts'
import type { Db } from '../store/database.ts'
import { predictionDrift } from './drift.ts'

/** A week with fewer tickets than this gives no figure: its distribution is noise. */
const MIN_PERIOD_TICKETS = 20

export function driftByWeek(db: Db, target: string): DriftView | null {
  const stored = activeStoredHead(db, target)
  if (!stored) return null
  const head = headOf(db, stored)
  const reference: string[] = []
  head.classes.forEach((c, i) => {
    for (let k = 0; k < (head.classCounts[i] ?? 0); k++) reference.push(c)
  })
  const rows = db
    .prepare(
      `SELECT date(t.created, 'weekday 0', '-6 days') AS week, p.label FROM predictions p JOIN tickets t ON t.id = p.ticket_id
       WHERE p.model_id = ? AND t.created IS NOT NULL ORDER BY week`
    )
    .all(stored.summary.id) as { week: string; label: string }[]
  const undated = (
    db.prepare('SELECT COUNT(*) AS n FROM predictions p JOIN tickets t ON t.id = p.ticket_id WHERE p.model_id = ? AND t.created IS NULL').get(stored.summary.id) as { n: number }
  ).n
  const byWeek = new Map<string, string[]>()
  for (const r of rows) byWeek.set(r.week, [...(byWeek.get(r.week) ?? []), r.label])
  const share = (xs: readonly string[]): Record<string, number> => {
    const out: Record<string, number> = {}
    for (const x of xs) out[x] = (out[x] ?? 0) + 1 / xs.length
    return out
  }
  const periods: DriftPeriod[] = [...byWeek].map(([start, labels]) => {
    const d = labels.length >= MIN_PERIOD_TICKETS ? predictionDrift(reference, labels) : null
    return { start, tickets: labels.length, psi: d?.psi ?? null, jsDistance: d?.jsDistance ?? null, band: d?.band ?? null, distribution: share(labels) }
  })
  return { target, modelId: stored.summary.id, reference: share(reference), periods, undated }
}
