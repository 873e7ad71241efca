// The reviewer name every decision is recorded under (settings.reviewerName).
import { useEffect, useRef, useState } from 'react'
import { describeError } from '../api/describeError.ts'
import { useEngineEvent, useTriage } from '../api/TriageContext.tsx'
import { OutcomeMessage, type Outcome } from './OutcomeMessage.tsx'

export function ReviewerNameField() {
  const api = useTriage()
  const [saved, setSaved] = useState<string | null>(null)
  const [text, setText] = useState('')
  const [message, setMessage] = useState<Outcome | null>(null)
  const savedRef = useRef<string | null>(null)

  const load = () => {
    api
      .request('settings.get', {})
      .then((s) => {
        // The field follows a name saved elsewhere (the first-decision prompt, another window) unless the
        // user is typing a different one here.
        setText((t) => (t === '' || t === savedRef.current ? s.reviewerName : t))
        savedRef.current = s.reviewerName
        setSaved(s.reviewerName)
      })
      .catch((err: unknown) => setMessage({ text: describeError(err), error: true }))
  }
  useEffect(load, [api])
  useEngineEvent('data.changed', (change) => change.what === 'settings' && load())

  const save = async () => {
    const name = text.trim()
    if (!name) {
      setMessage({ text: 'Give a name: decisions are recorded under it.', error: true })
      return
    }
    try {
      const s = await api.request('settings.set', { reviewerName: name })
      savedRef.current = s.reviewerName
      setSaved(s.reviewerName)
      setText(s.reviewerName)
      setMessage({ text: `Decisions are now recorded as ${s.reviewerName}.`, error: false })
    } catch (err) {
      setMessage({ text: describeError(err), error: true })
    }
  }

  return (
    <form
      className="reviewer-name"
      aria-label="Reviewer"
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <label>
        Reviewer name <input type="text" value={text} maxLength={100} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="submit" disabled={text.trim() === '' || text.trim() === saved}>
        Save
      </button>
      <OutcomeMessage outcome={message} inline />
    </form>
  )
}
