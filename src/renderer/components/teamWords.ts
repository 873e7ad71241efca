// The team status in the words the status chip and Settings → Team use: online or offline since when,
// what waits to be pushed, when the last round was and what it brought in from the team.
import type { SupersededDecision, TeamStatus, TeamSyncResult } from '../../shared/team.ts'
import { formatCount } from './formatNumber.ts'

const plural = (n: number, one: string, many: string): string => `${formatCount(n)} ${n === 1 ? one : many}`

/** HH:MM in the user's clock: the chip is read at a glance, seconds would only flicker. */
export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}

/** "12 tickets, 3 decisions from the team", or null when the last round brought nothing. */
export function broughtIn(last: TeamSyncResult | null): string | null {
  if (!last || last.pulled === 0) return null
  const p = last.byKind.pulled
  const parts = [
    p.tickets > 0 && plural(p.tickets, 'ticket', 'tickets'),
    p.decisions > 0 && plural(p.decisions, 'decision', 'decisions'),
    p.models > 0 && plural(p.models, 'model', 'models'),
    p.activations > 0 && plural(p.activations, 'activation', 'activations'),
    p.thresholds > 0 && plural(p.thresholds, 'threshold change', 'threshold changes')
  ].filter((s): s is string => typeof s === 'string')
  return `${parts.join(', ')} from the team`
}

/** "3 to push", or null when everything made here is with the team. */
export function toPushWords(s: TeamStatus): string | null {
  const n = s.toPush.tickets + s.toPush.decisions
  return n > 0 ? `${formatCount(n)} to push` : null
}

/** The chip's own line: "Team: online · 3 to push · synced 14:02" or "Team: offline since 09:15 · …". */
export function chipLine(s: TeamStatus): string {
  const state = s.offlineSince ? `offline since ${clockTime(s.offlineSince)}` : s.lastSyncAt ? 'online' : 'connecting…'
  return ['Team: ' + state, toPushWords(s), s.lastSyncAt && `synced ${clockTime(s.lastSyncAt)}`].filter((x): x is string => !!x).join(' · ')
}

/** One line for a decision of this desktop that lost a conflict to a later one in the team's order. */
export function supersededLine(d: SupersededDecision): string {
  const by = d.winnerBy ? ` by ${d.winnerBy}` : ''
  return `${d.externalId} (${d.target}): your "${d.yours ?? 'no label'}" was replaced by "${d.winner ?? 'no label'}"${by}`
}
