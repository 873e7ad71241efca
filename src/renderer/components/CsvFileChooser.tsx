// Choosing the CSV: a native dialog in Electron, a file input (then an upload) in the browser.
import { useId, useState } from 'react'
import { describeError } from '../api/describeError.ts'
import { useTriageClient } from '../api/TriageContext.tsx'

export function CsvFileChooser({ onChosen, disabled }: { onChosen: (path: string) => void; disabled?: boolean }) {
  const client = useTriageClient()
  const inputId = useId()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const choose = async (file?: File) => {
    setBusy(true)
    setError(null)
    try {
      const path = await client.api.pickCsvFile(file)
      if (path) onChosen(path)
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="file-chooser">
      {client.transport === 'electron' ? (
        <button type="button" className="primary" disabled={disabled || busy} onClick={() => void choose()}>
          Choose CSV file…
        </button>
      ) : (
        <>
          <label htmlFor={inputId}>CSV file</label>
          <input
            id={inputId}
            type="file"
            accept=".csv,.tsv,.txt,text/csv,text/plain"
            disabled={disabled || busy}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0]
              if (file) void choose(file)
            }}
          />
        </>
      )}
      {busy && <span role="status">Reading file…</span>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  )
}
