// "Save report" (self-contained HTML with the figures as tables and the charts' SVG as drawn) and
// "Export predictions CSV" (every ticket's recorded label and the active head's prediction, read from
// the engine in pages of 1000 because the contract has no bulk export).
import { useState, type RefObject } from 'react'
import type { DriftView, EvaluationReportView, ReviewAccuracyWeek } from '../../../shared/evaluation.ts'
import type { TicketRow } from '../../../shared/domain.ts'
import { describeError } from '../../api/describeError.ts'
import { useTriage } from '../../api/TriageContext.tsx'
import { downloadFile, fileSafe, fileStamp } from './downloadFile.ts'
import { predictionsCsv } from './predictionsCsv.ts'
import { reportHtml, type ReportChart } from './reportHtml.ts'

const PAGE = 1000

interface Props {
  readonly report: EvaluationReportView
  readonly drift: DriftView | null
  readonly reviewWeeks: readonly ReviewAccuracyWeek[]
  /** The page element the charts are drawn in. */
  readonly chartsRoot: RefObject<HTMLElement | null>
}

function drawnCharts(root: HTMLElement | null): ReportChart[] {
  if (!root) return []
  return [...root.querySelectorAll<HTMLElement>('[data-report-chart]')].flatMap((figure) => {
    const svg = figure.querySelector('svg.recharts-surface') ?? figure.querySelector('svg')
    return svg ? [{ title: figure.dataset.reportChart ?? '', svg: svg.outerHTML }] : []
  })
}

export function ReportExport({ report, drift, reviewWeeks, chartsRoot }: Props) {
  const api = useTriage()
  const [exporting, setExporting] = useState<{ done: number; total: number } | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const base = `evaluation-${fileSafe(report.target)}-v${report.modelVersion}`

  const saveReport = () => {
    const now = new Date()
    const html = reportHtml({ report, drift, reviewWeeks, charts: drawnCharts(chartsRoot.current), generatedAt: now.toISOString() })
    downloadFile(html, `${base}-${report.source}-${fileStamp(now)}.html`, 'text/html;charset=utf-8')
    setMessage('Report saved.')
  }

  const exportPredictions = async () => {
    setError(null)
    setMessage(null)
    setExporting({ done: 0, total: 0 })
    try {
      const rows: TicketRow[] = []
      let total = Infinity
      while (rows.length < total) {
        const page = await api.request('tickets.page', { offset: rows.length, limit: PAGE })
        total = page.total
        rows.push(...page.rows)
        setExporting({ done: rows.length, total })
        if (page.rows.length === 0) break
      }
      downloadFile(predictionsCsv(rows, report.target), `predictions-${fileSafe(report.target)}-${fileStamp(new Date())}.csv`, 'text/csv;charset=utf-8')
      setMessage(`Exported ${rows.length} tickets.`)
    } catch (err) {
      setError(`Could not export predictions: ${describeError(err)}`)
    } finally {
      setExporting(null)
    }
  }

  return (
    <div className="eval-export">
      <button type="button" onClick={saveReport}>
        Save report
      </button>
      <button type="button" onClick={() => void exportPredictions()} disabled={exporting !== null}>
        Export predictions CSV
      </button>
      {exporting && (
        <span role="status" className="hint">
          Reading tickets… {exporting.total ? `${exporting.done} of ${exporting.total}` : ''}
        </span>
      )}
      {message && !exporting && (
        <span role="status" className="hint">
          {message}
        </span>
      )}
      {error && <span role="alert" className="error">{error}</span>}
    </div>
  )
}
