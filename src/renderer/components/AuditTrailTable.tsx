// The audit trail of review decisions (who, when, from → to, undone), newest first, with an export of
// the whole trail as CSV. The CSV comes from the engine as text and is saved through a Blob link.
import { useCallback, useEffect, useState } from 'react'
import type { AuditRow } from '../../shared/review.ts'
import { describeError } from '../api/describeError.ts'
import { useEngineEvent, useTriage } from '../api/TriageContext.tsx'
import { formatCount } from './formatNumber.ts'

const PAGE = 100

export function AuditTrailTable({ target }: { target: string | undefined }) {
  const api = useTriage()
  const [offset, setOffset] = useState(0)
  const [data, setData] = useState<{ total: number; rows: readonly AuditRow[] } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [exporting, setExporting] = useState(false)

  const load = useCallback(() => {
    api
      .request('review.audit', { ...(target ? { target } : {}), offset, limit: PAGE })
      .then((d) => {
        setData(d)
        setError(null)
      })
      .catch((err: unknown) => setError(describeError(err)))
  }, [api, target, offset])
  useEffect(load, [load])
  useEngineEvent('data.changed', (change) => change.what === 'labels' && load())

  const exportCsv = async () => {
    setExporting(true)
    try {
      const { csv } = await api.request('review.auditCsv', target ? { target } : {})
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }))
      const link = document.createElement('a')
      link.href = url
      link.download = `review-audit${target ? `-${target}` : ''}-${new Date().toISOString().slice(0, 10)}.csv`
      document.body.append(link)
      link.click()
      link.remove()
      // The download has started from the link; the URL is not needed after this turn.
      setTimeout(() => URL.revokeObjectURL(url), 0)
    } catch (err) {
      setError(describeError(err))
    } finally {
      setExporting(false)
    }
  }

  return (
    <section className="card" aria-label="Audit trail">
      <div className="card-head">
        <h2>Audit trail{target ? ` · ${target}` : ''}</h2>
        <button type="button" onClick={() => void exportCsv()} disabled={exporting}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {data && data.total === 0 && <p className="hint">No review decisions yet.</p>}
      {data && data.total > 0 && (
        <>
          <table className="imports audit" aria-label="Review decisions">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Ticket</th>
                <th scope="col">Action</th>
                <th scope="col">Predicted</th>
                <th scope="col">From → to</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row) => (
                <tr key={row.id} className={row.undone || row.superseded ? 'superseded' : undefined}>
                  <td>{new Date(row.at).toLocaleString()}</td>
                  <td>{row.who}</td>
                  <td>{row.externalId ?? `#${row.ticketId}`}</td>
                  <td>
                    {row.action}
                    {row.undone ? ' (undone)' : ''}
                    {row.superseded ? ' (superseded: a later team decision won)' : ''}
                  </td>
                  <td>{row.predicted ?? '—'}</td>
                  <td>
                    {row.from ?? '—'} → {row.to ?? '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Newer
            </button>
            <span className="hint">
              {formatCount(offset + 1)}–{formatCount(Math.min(data.total, offset + PAGE))} of {formatCount(data.total)}
            </span>
            <button type="button" disabled={offset + PAGE >= data.total} onClick={() => setOffset(offset + PAGE)}>
              Older
            </button>
          </div>
        </>
      )}
    </section>
  )
}
