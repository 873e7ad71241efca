// Engine state and ticket count. A restart is announced until dismissed, because the user may have
// lost an answer (and should know why a spinner reset).
import { useState } from 'react'
import type { EventMap } from '../../shared/contract.ts'
import type { StoreStats } from '../../shared/domain.ts'
import { useConnectionState, useEngineEvent } from '../api/TriageContext.tsx'
import { formatCount } from './formatNumber.ts'
import { useModelStatus } from './useModelStatus.ts'

const CONNECTION_TEXT = { connecting: 'Engine: connecting…', connected: 'Engine: connected', disconnected: 'Engine: disconnected' } as const

export function StatusBar({ stats }: { stats: StoreStats | null }) {
  const connection = useConnectionState()
  const [restarted, setRestarted] = useState<EventMap['engine.restarted'] | null>(null)
  useEngineEvent('engine.restarted', setRestarted)
  const { status: models } = useModelStatus()

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
        <span className="provider" title={models.providerNotes.join('\n') || undefined}>
          Inference: {models.provider ?? 'no ONNX session yet'}
          {models.activeEmbedder ? ` · ${models.activeEmbedder}` : ' · built-in featuriser'}
        </span>
      )}
      <span className="ticket-count">{stats ? `${formatCount(stats.tickets)} tickets` : ''}</span>
    </footer>
  )
}
