// settings.autoUpdateAfter: "Update model" by itself after every N review decisions. Off (0) by default:
// each update is a new version and seconds of both cores, which a lead should choose to spend.
import { useEffect, useState } from 'react'
import { describeError } from '../api/describeError.ts'
import { useTriage } from '../api/TriageContext.tsx'
import { useEngineQuery } from '../api/useEngineQuery.ts'
import { OutcomeMessage, type Outcome } from './OutcomeMessage.tsx'

export function AutoUpdateSetting() {
  const api = useTriage()
  const { data: settings } = useEngineQuery('settings.get', {}, { changes: ['settings'] })
  const [draft, setDraft] = useState('')
  const [message, setMessage] = useState<Outcome | null>(null)
  useEffect(() => setDraft(String(settings?.autoUpdateAfter ?? 0)), [settings?.autoUpdateAfter])
  if (!settings) return null

  const save = async () => {
    const n = Number(draft)
    if (!Number.isInteger(n) || n < 0 || n > 10_000) {
      setMessage({ text: 'Give a whole number of decisions from 0 (off) to 10,000.', error: true })
      return
    }
    try {
      await api.request('settings.set', { autoUpdateAfter: n })
      setMessage({ text: n === 0 ? 'Models update only when you press Update model.' : `Each model updates by itself after every ${n} review decisions.`, error: false })
    } catch (err) {
      setMessage({ text: describeError(err), error: true })
    }
  }

  return (
    <div className="auto-update" role="group" aria-label="Automatic model updates">
      <label>
        Update a model by itself after every{' '}
        <input type="number" min={0} max={10000} step={1} value={draft} onChange={(e) => setDraft(e.target.value)} aria-label="Decisions between automatic updates" style={{ width: '6em' }} />{' '}
        review decisions (0: off)
      </label>{' '}
      <button type="button" onClick={() => void save()} disabled={draft === String(settings.autoUpdateAfter)}>
        Save
      </button>
      <p className="hint">A decision counts in the votes of similar tickets at once; an update also teaches the model itself, in seconds.</p>
      <OutcomeMessage outcome={message} />
    </div>
  )
}
