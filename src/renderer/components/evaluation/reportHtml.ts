// "Save report": one self-contained HTML file (inline CSS, no scripts, no links) with every figure as
// a table and the charts as the SVG the page drew, so it opens offline and prints in black and white.
import type { DriftView, EvaluationReportView, ReviewAccuracyWeek } from '../../../shared/evaluation.ts'
import { formatThreshold, headlines, percent, threeDecimals } from './evaluationFigures.ts'

export interface ReportChart {
  readonly title: string
  /** `outerHTML` of the chart's <svg>, as rendered. */
  readonly svg: string
}

export interface ReportContent {
  readonly report: EvaluationReportView
  readonly drift: DriftView | null
  readonly reviewWeeks: readonly ReviewAccuracyWeek[]
  readonly charts: readonly ReportChart[]
  readonly generatedAt: string
}

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;')
}

function table(caption: string, head: readonly string[], rows: readonly (readonly string[])[]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')
  return `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`
}

/** Only the chart's own markup: anything that is not an <svg> element is dropped rather than trusted. */
function chartSection(chart: ReportChart): string {
  const svg = /^<svg[\s>]/i.test(chart.svg.trim()) && !/<script|\son\w+=/i.test(chart.svg) ? chart.svg : ''
  return `<figure>${svg}<figcaption>${escapeHtml(chart.title)}</figcaption></figure>`
}

const CSS = `body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d232b;margin:24px;max-width:1100px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}
caption{text-align:left;font-weight:600;padding:4px 0}th,td{border:1px solid #8a94a3;padding:3px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}thead th{background:#eef1f5}figure{margin:12px 0;break-inside:avoid}
figcaption{font-size:12px;color:#454d58}svg{max-width:100%;height:auto}.meta{color:#454d58}`

export function reportHtml({ report, drift, reviewWeeks, charts, generatedAt }: ReportContent): string {
  const title = `Evaluation of ${report.target} v${report.modelVersion}`
  const sections = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${escapeHtml(report.description)} · ${report.n} tickets · source: ${report.source === 'holdout' ? 'held-out split' : 'review decisions'} · generated ${escapeHtml(generatedAt)}</p>`,
    table('Headline figures', ['Figure', 'Value'], headlines(report).map((h) => [h.name, h.value])),
    table(
      'Per queue',
      ['Label', 'Precision', 'Recall', 'F1', 'Support', 'Predicted', 'Threshold', 'Routed precision', 'Routed coverage'],
      report.perClass.map((c) => [c.label, threeDecimals(c.precision), threeDecimals(c.recall), threeDecimals(c.f1), String(c.support), String(c.predicted), formatThreshold(c.threshold), percent(c.routedPrecision), percent(c.routedCoverage)])
    ),
    table(
      'Confusion matrix (rows: recorded label, columns: predicted)',
      ['Recorded \\ predicted', ...report.classes],
      report.classes.map((truth, t) => [truth, ...report.classes.map((_, p) => String(report.confusion[t]?.[p] ?? 0))])
    ),
    table(
      'Reliability (confidence bins)',
      ['Bin', 'Tickets', 'Mean confidence', 'Accuracy'],
      report.reliability.filter((b) => b.count > 0).map((b) => [`${b.lower.toFixed(2)}–${b.upper.toFixed(2)}`, String(b.count), threeDecimals(b.meanConfidence), threeDecimals(b.accuracy)])
    ),
    ...charts.map(chartSection)
  ]
  if (drift) {
    sections.push(
      table(
        'Drift by week (predicted queues against the training labels)',
        ['Week from', 'Tickets', 'PSI', 'JS distance', 'Band'],
        drift.periods.map((p) => [p.start, String(p.tickets), p.psi === null ? '—' : threeDecimals(p.psi), p.jsDistance === null ? '—' : threeDecimals(p.jsDistance), p.band ?? 'too few tickets'])
      )
    )
  }
  if (reviewWeeks.length > 0) {
    sections.push(table('Accuracy on reviewed tickets by week', ['Week from', 'Reviewed', 'Accuracy'], reviewWeeks.map((w) => [w.start, String(w.reviewed), percent(w.accuracy)])))
  }
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${CSS}</style></head>\n<body>\n${sections.join('\n')}\n</body></html>\n`
}
