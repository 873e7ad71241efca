// Full-text search over subject and body. `/` anywhere (outside a text field) focuses it, like most
// inbox tools; typing is debounced so the engine gets one query per pause, not per key.
import { useEffect, useRef, useState } from 'react'

const DEBOUNCE_MS = 250

export function SearchBox({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const input = useRef<HTMLInputElement>(null)
  const [text, setText] = useState(value)

  useEffect(() => {
    if (text === value) return
    const timer = setTimeout(() => onChange(text), DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [text, value, onChange])

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return
      const target = event.target as HTMLElement | null
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return
      event.preventDefault()
      input.current?.focus()
      input.current?.select()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  return (
    <input
      ref={input}
      type="search"
      className="search"
      aria-label="Search tickets"
      placeholder="Search subject and body  ( / )"
      value={text}
      maxLength={500}
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onChange(text)
        if (e.key === 'Escape') {
          setText('')
          onChange('')
        }
      }}
    />
  )
}
