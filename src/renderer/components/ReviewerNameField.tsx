// The reviewer name every decision is recorded under (settings.reviewerName), editable beside the Review
// heading. The page's useReviewerName is the one copy of the saved name: this field shows and saves it.
import { useEffect, useRef, useState } from 'react'
import { describeError } from '../api/describeError.ts'
import { OutcomeMessage, type Outcome } from './OutcomeMessage.tsx'

export function ReviewerNameField({ saved, save, loadError }: { saved: string | null; save: (name: string) => Promise<string>; loadError: string | null }) {
  const [text, setText] = useState('')
  const [message, setMessage] = useState<Outcome | null>(null)
  const shown = useRef<string | null>(null)

  useEffect(() => {
    if (saved === null) return
    // The field follows a name saved elsewhere (the first-decision prompt, another window) unless the
    // user is typing a different one here.
    setText((t) => (t === '' || t === shown.current ? saved : t))
    shown.current = saved
  }, [saved])

  const submit = async () => {
    const name = text.trim()
    if (!name) {
      setMessage({ text: 'Give a name: decisions are recorded under it.', error: true })
      return
    }
    try {
      const stored = await save(name)
      shown.current = stored
      setText(stored)
      setMessage({ text: `Decisions are now recorded as ${stored}.`, error: false })
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
        void submit()
      }}
    >
      <label>
        Reviewer name <input type="text" value={text} maxLength={100} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="submit" disabled={text.trim() === '' || text.trim() === saved}>
        Save
      </button>
      <OutcomeMessage outcome={message ?? (loadError ? { text: loadError, error: true } : null)} inline />
    </form>
  )
}
