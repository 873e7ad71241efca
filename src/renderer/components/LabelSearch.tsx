// `/` in Review: search every label of the target and pick one with the keyboard (type, ↓/↑, Enter;
// Escape closes).
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { searchLabels } from './reviewChoices.ts'

export function LabelSearch(props: { target: string; labels: readonly string[]; onPick: (label: string) => void; onClose: () => void }) {
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const input = useRef<HTMLInputElement>(null)
  const matches = useMemo(() => searchLabels(props.labels, query), [props.labels, query])
  useEffect(() => input.current?.focus(), [])
  useEffect(() => setActive(0), [query])

  const onKeyDown = (e: KeyboardEvent) => {
    e.stopPropagation()
    if (e.key === 'ArrowDown') {
      e.preventDefault()
      setActive((a) => Math.min(matches.length - 1, a + 1))
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      setActive((a) => Math.max(0, a - 1))
    } else if (e.key === 'Enter') {
      e.preventDefault()
      const label = matches[active]
      if (label !== undefined) props.onPick(label)
    } else if (e.key === 'Escape') {
      e.preventDefault()
      props.onClose()
    }
  }

  return (
    <div className="label-search" role="dialog" aria-modal="true" aria-label={`Pick a ${props.target}`} onKeyDown={onKeyDown}>
      <input
        ref={input}
        type="search"
        aria-label={`Search ${props.target} labels`}
        role="combobox"
        aria-expanded="true"
        aria-controls="label-search-options"
        aria-activedescendant={matches[active] !== undefined ? `label-option-${active}` : undefined}
        placeholder={`Type to search ${props.labels.length} labels · Enter picks · Esc closes`}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <ul id="label-search-options" role="listbox" aria-label={`${props.target} labels`}>
        {matches.map((label, i) => (
          <li
            key={label}
            id={`label-option-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            onMouseDown={(e) => {
              e.preventDefault()
              props.onPick(label)
            }}
          >
            {label}
          </li>
        ))}
        {matches.length === 0 && <li className="muted">No label matches “{query}”.</li>}
      </ul>
    </div>
  )
}
