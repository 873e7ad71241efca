// Where inference runs and which embedder similar tickets and new models use (settings.executionProvider
// and settings.embedder). A change is applied by the engine at once: it releases the loaded model after
// the run in progress and re-indexes the tickets with the one now chosen.
import { useState } from 'react'
import type { Settings } from '../../shared/contract.ts'
import type { ModelStatus } from '../../shared/models.ts'
import { describeError } from '../api/describeError.ts'
import { useTriage } from '../api/TriageContext.tsx'
import { useEngineQuery } from '../api/useEngineQuery.ts'
import { ValueOptions } from './ValueOptions.tsx'
import { OutcomeMessage, type Outcome } from './OutcomeMessage.tsx'

const PROVIDERS: readonly Settings['executionProvider'][] = ['auto', 'cuda', 'coreml', 'dml', 'cpu']
const PROVIDER_TEXT: Readonly<Record<Settings['executionProvider'], string>> = {
  auto: 'Automatic (CUDA, CoreML, DirectML, then CPU)',
  cuda: 'CUDA (NVIDIA GPU)',
  coreml: 'CoreML (macOS)',
  dml: 'DirectML (Windows)',
  cpu: 'CPU'
}
const AUTOMATIC = ''

/**
 * `part`: the embedder choice (a plain setting: which model reads the tickets), or where models run (an
 * Advanced one: CUDA, CoreML and DirectML mean little to most leads and need their own installs).
 */
export function InferenceSettings({ status, part }: { status: ModelStatus | null; part: 'embedder' | 'provider' }) {
  const api = useTriage()
  const { data: settings, error } = useEngineQuery('settings.get', {}, { changes: ['settings'] })
  const [message, setMessage] = useState<Outcome | null>(null)

  const save = async (patch: Partial<Settings>, what: string) => {
    try {
      await api.request('settings.set', patch)
      setMessage({ text: `${what}: similar tickets are re-indexed with it now; models keep the embedder they were trained with.`, error: false })
    } catch (err) {
      setMessage({ text: describeError(err), error: true })
    }
  }

  if (!settings) return error ? <p role="alert" className="error">The engine could not read the settings: {error}</p> : null
  const installed = status?.embedders.filter((e) => e.installed).map((e) => e.name) ?? []
  // A chosen model that is no longer installed stays visible, so the choice can be seen and undone.
  const choices = settings.embedder && !installed.includes(settings.embedder) ? [...installed, settings.embedder] : installed
  const display = (name: string): string => status?.embedders.find((e) => e.name === name)?.displayName ?? name
  if (part === 'provider') {
    return (
      <div className="inference-settings" role="group" aria-label="Advanced inference settings">
        <label>
          Run models on{' '}
          <select
            value={settings.executionProvider}
            onChange={(e) => void save({ executionProvider: e.target.value as Settings['executionProvider'] }, `Provider set to ${e.target.value}`)}
          >
            <ValueOptions values={PROVIDERS} label={(p) => PROVIDER_TEXT[p]} />
          </select>
        </label>
        <OutcomeMessage outcome={message} />
      </div>
    )
  }
  return (
    <div className="inference-settings" role="group" aria-label="Inference settings">
      <label>
        Embedder{' '}
        <select
          value={settings.embedder ?? AUTOMATIC}
          onChange={(e) => {
            const embedder = e.target.value === AUTOMATIC ? null : e.target.value
            void save({ embedder }, embedder ? `Embedder set to ${embedder}` : 'Embedder chosen automatically')
          }}
        >
          <option value={AUTOMATIC}>Automatic (the default model first)</option>
          <ValueOptions values={choices} label={display} />
        </select>
      </label>
      <OutcomeMessage outcome={message} />
    </div>
  )
}
