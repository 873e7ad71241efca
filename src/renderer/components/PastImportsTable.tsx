// Earlier imports, newest first as the engine returns them; refreshed when imports change.
import { useCallback, useEffect, useState } from 'react'
import type { ImportSummary } from '../../shared/domain.ts'
import { describeError } from '../api/describeError.ts'
import { useEngineEvent, useTriage } from '../api/TriageContext.tsx'
import { formatCount } from './formatNumber.ts'
import { RejectedRowsTable } from './RejectedRowsTable.tsx'

export function PastImportsTable() {
  const api = useTriage()
  const [imports, setImports] = useState<readonly ImportSummary[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [open, setOpen] = useState<number | null>(null)

  const load = useCallback(() => {
    api
      .request('imports.list', {})
      .then((list) => {
        setImports(list)
        setError(null)
      })
      .catch((err: unknown) => setError(describeError(err)))
  }, [api])

  useEffect(load, [load])
  useEngineEvent('data.changed', (change) => change.what === 'imports' && load())
  useEngineEvent('job.done', load)
  useEngineEvent('engine.restarted', load)

  return (
    <section aria-label="Past imports">
      <h2>Past imports</h2>
      {error && <p role="alert" className="error">{error}</p>}
      {imports === null ? (
        <p role="status">Loading…</p>
      ) : imports.length === 0 ? (
        <p className="hint">Nothing imported yet.</p>
      ) : (
        <table className="imports" aria-label="Past imports">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Started</th>
              <th scope="col">Status</th>
              <th scope="col">Read</th>
              <th scope="col">Imported</th>
              <th scope="col">Updated</th>
              <th scope="col">Duplicate</th>
              <th scope="col">Rejected</th>
            </tr>
          </thead>
          <tbody>
            {imports.map((imp) => (
              <tr key={imp.importId}>
                <td>{imp.fileName}</td>
                <td>{new Date(imp.startedAt).toLocaleString()}</td>
                <td>{imp.status}</td>
                <td>{formatCount(imp.read)}</td>
                <td>{formatCount(imp.imported)}</td>
                <td>{formatCount(imp.updated)}</td>
                <td>{formatCount(imp.duplicate)}</td>
                <td>
                  {imp.rejected > 0 ? (
                    <button type="button" className="link" aria-expanded={open === imp.importId} onClick={() => setOpen(open === imp.importId ? null : imp.importId)}>
                      {formatCount(imp.rejected)}
                    </button>
                  ) : (
                    '0'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open !== null && <RejectedRowsTable importId={open} />}
    </section>
  )
}
