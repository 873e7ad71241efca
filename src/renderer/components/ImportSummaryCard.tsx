// What an import did, in the counts a lead checks first. The numbers come straight from the engine.
import type { ImportSummary } from '../../shared/domain.ts'
import { formatCount } from './formatNumber.ts'

const COUNTS = [
  ['read', 'Read'],
  ['imported', 'Imported'],
  ['updated', 'Updated'],
  ['duplicate', 'Duplicate'],
  ['rejected', 'Rejected']
] as const

export function ImportSummaryCard({ summary }: { summary: ImportSummary }) {
  return (
    <section className="card" aria-label="Import summary">
      <h2>
        {summary.status === 'done' ? 'Imported' : `Import ${summary.status}`}: {summary.fileName}
      </h2>
      {summary.message && <p className="hint">{summary.message}</p>}
      <dl className="counts">
        {COUNTS.map(([key, label]) => (
          <div key={key} className={`count count-${key}${summary[key] > 0 ? ' nonzero' : ''}`}>
            <dt>{label}</dt>
            <dd data-testid={`count-${key}`}>{formatCount(summary[key])}</dd>
          </div>
        ))}
      </dl>
      <p className="hint">
        {summary.seconds.toFixed(1)} s · {formatCount(summary.rowsPerSec)} rows/s · {summary.encoding}, delimiter{' '}
        {summary.delimiter === '\t' ? 'tab' : `“${summary.delimiter}”`}
      </p>
    </section>
  )
}
