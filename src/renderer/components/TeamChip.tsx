// The team chip in the status bar: online or offline since when, what waits to be pushed, the last sync,
// what the last round brought in, and a warning when a decision made here lost a conflict. Nothing shows
// for a desktop that has joined no team.
import { broughtIn, chipLine, supersededLine } from './teamWords.ts'
import { useTeamStatus } from './useTeamStatus.ts'

export function TeamChip() {
  const { status } = useTeamStatus()
  if (!status?.joined) return null
  const brought = broughtIn(status.lastSync)
  const lost = status.superseded
  const title = [status.offlineSince && status.lastError, ...lost.slice(0, 5).map(supersededLine)].filter(Boolean).join('\n')
  return (
    <span className={`team-chip ${status.offlineSince ? 'offline' : 'online'}`} data-testid="team-chip" role="status" aria-label="Team sync" title={title || undefined}>
      {chipLine(status)}
      {brought && <span className="team-brought"> · {brought}</span>}
      {lost.length > 0 && (
        <span className="team-superseded" data-testid="team-superseded">
          {' '}
          · {lost.length === 1 ? '1 decision of yours was replaced' : `${lost.length} decisions of yours were replaced`}
        </span>
      )}
    </span>
  )
}
