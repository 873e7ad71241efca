// What came of the last action in a panel (saved, installed, refused): read out as a status, or as an
// alert when it failed.
export interface Outcome {
  readonly text: string
  readonly error: boolean
}

export function OutcomeMessage({ outcome, inline = false, okClassName = 'hint' }: { outcome: Outcome | null; inline?: boolean; okClassName?: string }) {
  if (!outcome) return null
  const Tag = inline ? 'span' : 'p'
  return (
    <Tag role={outcome.error ? 'alert' : 'status'} className={outcome.error ? 'error' : okClassName}>
      {outcome.text}
    </Tag>
  )
}
