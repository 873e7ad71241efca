// Asked before the first decision while the reviewer name is still the default: every decision's "who" in
// the audit trail is this name, and "reviewer" tells nobody anything.
import { useEffect, useRef, useState } from 'react'
import { DEFAULT_REVIEWER_NAME } from '../../shared/review.ts'
import { describeError } from '../api/describeError.ts'
import { OutcomeMessage, type Outcome } from './OutcomeMessage.tsx'

export function ReviewerNamePrompt({ onSave, loadError }: { onSave: (name: string) => Promise<string>; loadError: string | null }) {
  const [text, setText] = useState('')
  const [message, setMessage] = useState<Outcome | null>(loadError ? { text: loadError, error: true } : null)
  const [busy, setBusy] = useState(false)
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => input.current?.focus(), [])
  const name = text.trim()
  const usable = name !== '' && name !== DEFAULT_REVIEWER_NAME

  const submit = async () => {
    if (!usable) {
      setMessage({ text: 'Give your own name: the audit trail records every decision under it.', error: true })
      return
    }
    setBusy(true)
    try {
      await onSave(name)
    } catch (err) {
      setMessage({ text: describeError(err), error: true })
      setBusy(false)
    }
  }

  return (
    <section className="reviewer-prompt card" aria-labelledby="reviewer-prompt-title">
      <h2 id="reviewer-prompt-title">Who is reviewing?</h2>
      <p>Each decision is recorded in the audit trail under your name. Give it once, before the first decision; you can change it later beside the Review heading.</p>
      <form
        aria-label="Reviewer name before the first decision"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <label>
          Your name{' '}
          <input ref={input} type="text" value={text} maxLength={100} autoComplete="name" onChange={(e) => setText(e.target.value)} />
        </label>{' '}
        <button type="submit" className="primary" disabled={!usable || busy}>
          Start reviewing
        </button>
      </form>
      <OutcomeMessage outcome={message} />
    </section>
  )
}
