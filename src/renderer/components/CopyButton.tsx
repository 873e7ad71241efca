// Copies a value (an external id) to the clipboard and says so where a screen reader hears it.
import { useEffect, useState } from 'react'

const SHOWN_MS = 1500

export function CopyButton({ text, what }: { text: string; what: string }) {
  const [outcome, setOutcome] = useState<'copied' | 'failed' | null>(null)
  useEffect(() => {
    if (outcome === null) return
    const timer = setTimeout(() => setOutcome(null), SHOWN_MS)
    return () => clearTimeout(timer)
  }, [outcome])
  useEffect(() => setOutcome(null), [text])
  const copy = () => {
    // The clipboard API can be missing or refused (no permission, page not focused): say it failed.
    Promise.resolve()
      .then(() => navigator.clipboard.writeText(text))
      .then(
        () => setOutcome('copied'),
        () => setOutcome('failed')
      )
  }
  return (
    <>
      <button type="button" className="link copy-button" aria-label={`Copy the ${what}`} onClick={copy}>
        Copy
      </button>
      <span role="status" className="muted copy-outcome">
        {outcome === 'copied' ? 'Copied' : outcome === 'failed' ? 'Could not copy' : ''}
      </span>
    </>
  )
}
