// Engine state, the model in use and where it runs, running jobs, and the ticket count. A restart is announced until dismissed, because the user may have
// lost an answer (and should know why a spinner reset).
import { useState } from 'react'
import type { EventMap } from '../../shared/contract.ts'
import type { StoreStats } from '../../shared/domain.ts'
import { useConnectionState, useEngineEvent } from '../api/TriageContext.tsx'
import { formatCount } from './formatNumber.ts'
import { TeamChip } from './TeamChip.tsx'
import { runningJobsLine } from './jobWords.ts'
import { modelLine } from './plainWords.ts'
import { useModelStatus } from './useModelStatus.ts'
import { useRunningJobs } from './useRunningJobs.ts'

const CONNECTION_TEXT = { connecting: 'Engine: connecting…', connected: 'Engine: connected', disconnected: 'Engine: disconnected' } as const

export function StatusBar({ stats }: { stats: StoreStats | null }) {
  const connection = useConnectionState()
  const [restarted, setRestarted] = useState<EventMap['engine.restarted'] | null>(null)
  useEngineEvent('engine.restarted', setRestarted)
  const { status: models } = useModelStatus()
  const jobs = useRunningJobs()

  return (
    <footer className="status-bar" role="contentinfo">
      <span className={`engine-state ${connection}`} role="status">
        {CONNECTION_TEXT[connection]}
      </span>
      {restarted && (
        <span className="restarted" role="alert">
          The engine restarted at {new Date(restarted.at).toLocaleTimeString()} ({restarted.reason}).
          <button type="button" className="link" onClick={() => setRestarted(null)}>
            Dismiss
          </button>
        </span>
      )}
      {models && (
        <span className="provider" data-testid="status-model" title={models.providerNotes.join('\n') || undefined}>
          {modelLine(models)}
        </span>
      )}
      <TeamChip />
      {jobs.size > 0 && (
        <span className="jobs" role="status" aria-label="Running jobs">
          {runningJobsLine(jobs)}
        </span>
      )}
      <span className="ticket-count">{stats ? `${formatCount(stats.tickets)} tickets` : ''}</span>
    </footer>
  )
}
