// The embedders the engine knows, whether each is installed, and a Remove for those installed in the
// data folder. Removing asks once more: the model's folder is deleted (installing it again needs the folder).
import { useState } from 'react'
import type { ModelStatus } from '../../shared/models.ts'
import { describeError } from '../api/describeError.ts'
import { useTriage } from '../api/TriageContext.tsx'
import { OutcomeMessage, type Outcome } from './OutcomeMessage.tsx'

export function EmbedderList({ embedders }: { embedders: ModelStatus['embedders'] }) {
  const api = useTriage()
  const [confirming, setConfirming] = useState<string | null>(null)
  const [message, setMessage] = useState<Outcome | null>(null)

  const remove = async (name: string) => {
    setConfirming(null)
    try {
      setMessage({ text: (await api.request('model.remove', { name })).message, error: false })
    } catch (err) {
      setMessage({ text: describeError(err), error: true })
    }
  }

  return (
    <>
      <ul className="embedders" aria-label="Embedders">
        {embedders.map((e) => (
          <li key={e.name}>
            {e.name} ({e.dimension}d): {e.installed ? 'installed' : 'not installed'}
            {e.problem ? ` · ${e.problem}` : ''}
            <span className="hint">
              {' · '}
              {e.known ? 'known model' : 'installed from a folder'}, {e.pooling === 'mean' ? 'mean of token states' : 'own sentence output'}, ≤ {e.maxTokens} tokens
              {e.textPrefix ? `, inputs prefixed "${e.textPrefix}"` : ''}, licence {e.licence}
            </span>
            {e.removable && confirming !== e.name && (
              <>
                {' '}
                <button type="button" className="link" onClick={() => setConfirming(e.name)}>
                  Remove…
                </button>
              </>
            )}
            {confirming === e.name && (
              <span role="group" aria-label={`Remove ${e.name}?`}>
                {' '}
                Delete its folder?{' '}
                <button type="button" onClick={() => void remove(e.name)}>
                  Remove {e.name}
                </button>{' '}
                <button type="button" onClick={() => setConfirming(null)}>
                  Keep
                </button>
              </span>
            )}
          </li>
        ))}
        {embedders.length === 0 && <li>No embedder models known. The built-in featuriser needs no download.</li>}
      </ul>
      <OutcomeMessage outcome={message} />
    </>
  )
}
