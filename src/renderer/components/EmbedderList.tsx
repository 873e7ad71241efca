// The embedders the engine knows, whether each is installed, and a Remove for those installed in the
// data folder. Removing asks once more: the model's folder is deleted (installing it again needs the folder).
import { useState } from 'react'
import type { ModelStatus } from '../../shared/models.ts'
import { describeError } from '../api/describeError.ts'
import { useTriage } from '../api/TriageContext.tsx'
import { OutcomeMessage, type Outcome } from './OutcomeMessage.tsx'
import { poolingWords } from './plainWords.ts'

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
              {e.known ? e.displayName : 'installed from a folder'}, {poolingWords(e.pooling)}, reads up to {e.maxTokens} tokens (about {Math.round(e.maxTokens * 0.75)} words) of a ticket
              {e.textPrefix ? `, each text prefixed "${e.textPrefix}"` : ''}, licence {e.licence}
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
        {embedders.length === 0 && <li>No embedding models known. The built-in word features need no download.</li>}
      </ul>
      <OutcomeMessage outcome={message} />
    </>
  )
}
