// Import: choose a file → preview and map columns → import with progress and cancel → summary with
// every rejected row. Past imports sit underneath.
import { useState } from 'react'
import type { CsvPreview } from '../../shared/domain.ts'
import { describeError } from '../api/describeError.ts'
import { useTriage } from '../api/TriageContext.tsx'
import { CsvFileChooser } from '../components/CsvFileChooser.tsx'
import { CsvSampleTable } from '../components/CsvSampleTable.tsx'
import type { CsvDelimiter, CsvEncoding } from '../components/csvFormats.ts'
import { ImportMappingForm } from '../components/ImportMappingForm.tsx'
import { ImportProgressBar } from '../components/ImportProgressBar.tsx'
import { ImportSummaryCard } from '../components/ImportSummaryCard.tsx'
import { draftFromPreview, mappingFromDraft, type MappingDraft } from '../components/mappingDraft.ts'
import { PastImportsTable } from '../components/PastImportsTable.tsx'
import { RejectedRowsTable } from '../components/RejectedRowsTable.tsx'
import { useImportJob } from '../components/useImportJob.ts'

interface Chosen {
  readonly path: string
  readonly preview: CsvPreview
  readonly encoding: CsvEncoding | undefined
  readonly delimiter: CsvDelimiter | undefined
  readonly draft: MappingDraft
}

export function ImportPage({ onShowInbox }: { onShowInbox: () => void }) {
  const api = useTriage()
  const job = useImportJob()
  const [chosen, setChosen] = useState<Chosen | null>(null)
  const [previewing, setPreviewing] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const preview = async (path: string, encoding: CsvEncoding | undefined, delimiter: CsvDelimiter | undefined, keepDraft: boolean) => {
    setPreviewing(true)
    setError(null)
    try {
      const result = await api.request('import.preview', { path, ...(encoding ? { encoding } : {}), ...(delimiter ? { delimiter } : {}) })
      setChosen((previous) => ({
        path,
        preview: result,
        encoding,
        delimiter,
        // Re-reading with another encoding keeps the user's choices when the columns did not change.
        draft: keepDraft && previous && previous.preview.headers.length === result.headers.length ? previous.draft : draftFromPreview(result)
      }))
    } catch (err) {
      setError(describeError(err))
    } finally {
      setPreviewing(false)
    }
  }

  const startImport = () => {
    if (!chosen) return
    const mapping = mappingFromDraft(chosen.draft, chosen.preview.mapping.extraText)
    if (typeof mapping === 'string') {
      setError(mapping)
      return
    }
    setError(null)
    void job.start({
      path: chosen.path,
      mapping,
      ...(chosen.encoding ? { encoding: chosen.encoding } : {}),
      ...(chosen.delimiter ? { delimiter: chosen.delimiter } : {})
    })
  }

  const startOver = () => {
    job.reset()
    setChosen(null)
    setError(null)
  }

  const state = job.state
  return (
    <div className="page import-page">
      <h1>Import tickets</h1>
      {state.phase === 'idle' || state.phase === 'starting' ? (
        <>
          <section className="card" aria-label="Choose a file">
            <p>Import a CSV export from your helpdesk. Nothing leaves this machine.</p>
            <CsvFileChooser disabled={previewing || state.phase === 'starting'} onChosen={(path) => void preview(path, undefined, undefined, false)} />
          </section>
          {error && <p role="alert" className="error">{error}</p>}
          {chosen && (
            <section className="card" aria-label="Column mapping">
              <h2>
                {chosen.preview.fileName} <span className="hint">({chosen.preview.preset} preset)</span>
              </h2>
              <CsvSampleTable preview={chosen.preview} />
              <ImportMappingForm
                preview={chosen.preview}
                draft={chosen.draft}
                onDraftChange={(draft) => setChosen({ ...chosen, draft })}
                encoding={chosen.encoding}
                delimiter={chosen.delimiter}
                onFormatChange={(format) => void preview(chosen.path, format.encoding, format.delimiter, true)}
                disabled={previewing || state.phase === 'starting'}
              />
              <div className="actions">
                <button type="button" className="primary" onClick={startImport} disabled={previewing || state.phase === 'starting'}>
                  Import
                </button>
              </div>
            </section>
          )}
        </>
      ) : state.phase === 'running' ? (
        <ImportProgressBar fileName={chosen?.preview.fileName ?? 'file'} progress={state.progress} cancelling={state.cancelling} onCancel={() => void job.cancel()} />
      ) : state.phase === 'done' ? (
        <>
          <ImportSummaryCard summary={state.summary} />
          <div className="actions">
            <button type="button" className="primary" onClick={onShowInbox}>
              Open the inbox
            </button>
            <button type="button" onClick={startOver}>
              Import another file
            </button>
          </div>
          <RejectedRowsTable importId={state.summary.importId} />
        </>
      ) : (
        <section className="card" aria-label="Import failed">
          <h2>The import failed</h2>
          <p role="alert" className="error">{state.message}</p>
          <button type="button" onClick={startOver}>
            Start over
          </button>
        </section>
      )}
      <PastImportsTable />
    </div>
  )
}
