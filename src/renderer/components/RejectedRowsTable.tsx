// Every rejected row of one import (line, column, reason, raw record), paged from the engine.
import { useEffect, useState } from 'react'
import type { ImportError } from '../../shared/domain.ts'
import { describeError } from '../api/describeError.ts'
import { useTriage } from '../api/TriageContext.tsx'
import { formatCount } from './formatNumber.ts'

const PAGE = 100

export function RejectedRowsTable({ importId }: { importId: number }) {
  const api = useTriage()
  const [rows, setRows] = useState<readonly ImportError[]>([])
  const [total, setTotal] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    setRows([])
    setTotal(null)
    api
      .request('imports.errors', { importId, offset: 0, limit: PAGE })
      .then((page) => {
        if (!live) return
        setRows(page.rows)
        setTotal(page.total)
      })
      .catch((err: unknown) => live && setError(describeError(err)))
    return () => {
      live = false
    }
  }, [api, importId])

  const more = () => {
    api
      .request('imports.errors', { importId, offset: rows.length, limit: PAGE })
      .then((page) => setRows((r) => [...r, ...page.rows]))
      .catch((err: unknown) => setError(describeError(err)))
  }

  if (error) return <p role="alert" className="error">{error}</p>
  if (total === null) return <p role="status">Loading rejected rows…</p>
  if (total === 0) return <p className="hint">No rows were rejected.</p>
  return (
    <section aria-label="Rejected rows">
      <h3>Rejected rows ({formatCount(total)})</h3>
      <div className="sample-scroll">
        <table className="rejected" aria-label="Rejected rows">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Column</th>
              <th scope="col">Reason</th>
              <th scope="col">Raw record</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={`${row.line}-${i}`}>
                <td>{row.line}</td>
                <td>{row.column ?? '—'}</td>
                <td>{row.reason}</td>
                <td>
                  <code className="raw">{row.raw}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length < total && (
        <button type="button" onClick={more}>
          Show more ({formatCount(total - rows.length)} left)
        </button>
      )}
    </section>
  )
}
