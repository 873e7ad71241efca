// Settings → Team: join a team with a connection URL (the user's own PostgreSQL role and password), leave
// it, sync now; shows the role, lead or agent, and the sync status. The password goes to the engine with
// the Join request and is cleared from the field at once: the page keeps no copy (the engine keeps it in
// its own password store, never in the SQLite file).
import { useState } from 'react'
import { describeError } from '../api/describeError.ts'
import { useTriage } from '../api/TriageContext.tsx'
import { OutcomeMessage, type Outcome } from './OutcomeMessage.tsx'
import { broughtIn, chipLine, supersededLine } from './teamWords.ts'
import { useTeamStatus } from './useTeamStatus.ts'

export function TeamSettings() {
  const api = useTriage()
  const { status, error } = useTeamStatus()
  const [url, setUrl] = useState('')
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<Outcome | null>(null)

  const act = async (what: () => Promise<string>) => {
    setBusy(true)
    setOutcome(null)
    try {
      setOutcome({ text: await what(), error: false })
    } catch (err) {
      setOutcome({ text: describeError(err), error: true })
    } finally {
      setBusy(false)
    }
  }

  const join = () =>
    act(async () => {
      const given = url.trim()
      // The field held the password: it is gone from the page whether the join works or not.
      setUrl('')
      const joined = await api.request('team.join', { url: given })
      return `Joined as ${joined.role} (${joined.lead ? 'lead' : 'agent'}). The team's tickets and decisions arrive by themselves.`
    })
  const leave = () =>
    act(async () => {
      await api.request('team.leave', {})
      return 'Left the team. The tickets and decisions stay on this desktop.'
    })
  const syncNow = () =>
    act(async () => {
      const r = await api.request('team.sync', {})
      const brought = broughtIn(r)
      return `Synced: ${r.pushed} sent, ${r.pulled} received${brought ? ` (${brought})` : ''}${r.conflicts ? `, ${r.conflicts} conflicts decided` : ''}${r.refused ? `, ${r.refused} decisions refused for this role` : ''}.`
    })

  return (
    <section className="card team-settings" aria-label="Team">
      <h2>Team</h2>
      {error && <p role="alert" className="error">The engine could not tell the team status: {error}</p>}
      {status?.joined ? (
        <>
          <dl className="team-facts">
            <dt>Connection</dt>
            <dd data-testid="team-url">{status.url}</dd>
            <dt>Role</dt>
            <dd data-testid="team-role">
              {status.role} ({status.lead ? 'lead: decisions, training, activation and thresholds reach the team' : 'agent: imports reach the team, decisions stay here'})
            </dd>
            <dt>Status</dt>
            <dd data-testid="team-status">
              {chipLine(status)}
              {broughtIn(status.lastSync) && ` · last round: ${broughtIn(status.lastSync)}`}
            </dd>
            {status.offlineSince && status.lastError && (
              <>
                <dt>Last error</dt>
                <dd className="error">{status.lastError}</dd>
              </>
            )}
          </dl>
          {status.superseded.length > 0 && (
            <>
              <h3>Your decisions a later team decision replaced</h3>
              <ul aria-label="Replaced decisions">
                {status.superseded.map((d) => (
                  <li key={`${d.externalId}-${d.target}-${d.at}`}>{supersededLine(d)}</li>
                ))}
              </ul>
            </>
          )}
          <div className="actions">
            <button type="button" disabled={busy} onClick={() => void syncNow()}>
              Sync now
            </button>
            <button type="button" disabled={busy} onClick={() => void leave()}>
              Leave team
            </button>
          </div>
        </>
      ) : (
        <form
          aria-label="Join a team"
          onSubmit={(e) => {
            e.preventDefault()
            void join()
          }}
        >
          <p className="hint">
            Paste the connection your lead gave you, with your own PostgreSQL role and password: postgres://ROLE:PASSWORD@HOST:5432/DATABASE (add
            ?sslmode=verify-full for TLS). Without a password here, PGPASSWORD or your ~/.pgpass supply it.
          </p>
          <label>
            Connection URL{' '}
            <input
              type="password"
              name="team-url"
              autoComplete="off"
              spellCheck={false}
              size={60}
              value={url}
              onChange={(e) => setUrl(e.target.value)}
            />
          </label>
          <div className="actions">
            <button type="submit" disabled={busy || url.trim() === ''}>
              Join
            </button>
          </div>
        </form>
      )}
      <OutcomeMessage outcome={outcome} />
    </section>
  )
}
