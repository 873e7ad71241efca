import { describe, expect, it } from 'vitest'
import type { TeamStatus, TeamSyncResult } from '../../shared/team.ts'
import { broughtIn, chipLine, clockTime, supersededLine } from './teamWords.ts'

const none = { tickets: 0, decisions: 0, models: 0, activations: 0, thresholds: 0 }
const round = (pulled: Partial<typeof none>): TeamSyncResult => {
  const p = { ...none, ...pulled }
  return { pushed: 0, pulled: Object.values(p).reduce((a, b) => a + b, 0), conflicts: 0, refused: 0, byKind: { pushed: none, pulled: p }, ticketsChanged: p.tickets, at: '2026-12-01T10:02:00Z' }
}
const status = (s: Partial<TeamStatus>): TeamStatus => ({
  joined: true,
  url: 'postgres://lead1@db:5432/team',
  role: 'lead1',
  lead: true,
  lastSyncAt: null,
  offlineSince: null,
  lastError: null,
  toPush: { tickets: 0, decisions: 0 },
  lastSync: null,
  superseded: [],
  ...s
})

describe('team status words', () => {
  it('says what the last round brought in, kind by kind, and nothing for an empty round', () => {
    expect(broughtIn(round({ tickets: 12, decisions: 3 }))).toBe('12 tickets, 3 decisions from the team')
    expect(broughtIn(round({ decisions: 1, models: 1, activations: 1 }))).toBe('1 decision, 1 model, 1 activation from the team')
    expect(broughtIn(round({ tickets: 1500 }))).toBe('1,500 tickets from the team')
    expect(broughtIn(round({}))).toBeNull()
    expect(broughtIn(null)).toBeNull()
  })

  it('shows online with the last sync and what waits to be pushed, or offline since when', () => {
    const at = '2026-12-01T10:02:00Z'
    expect(chipLine(status({ lastSyncAt: at }))).toBe(`Team: online · synced ${clockTime(at)}`)
    expect(chipLine(status({ lastSyncAt: at, toPush: { tickets: 2, decisions: 1 } }))).toBe(`Team: online · 3 to push · synced ${clockTime(at)}`)
    const since = '2026-12-01T09:15:00Z'
    expect(chipLine(status({ lastSyncAt: at, offlineSince: since }))).toBe(`Team: offline since ${clockTime(since)} · synced ${clockTime(at)}`)
    expect(chipLine(status({}))).toBe('Team: connecting…')
  })

  it('names the decision that lost a conflict, what replaced it and who decided', () => {
    expect(supersededLine({ externalId: 'T-4', target: 'queue', yours: 'Billing', at: '2026-12-01T10:00:00Z', winner: 'Returns', winnerBy: 'lead2' })).toBe(
      'T-4 (queue): your "Billing" was replaced by "Returns" by lead2'
    )
  })
})
