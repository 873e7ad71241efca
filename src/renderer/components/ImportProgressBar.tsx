import type { JobProgress } from '../../shared/domain.ts'
import { formatCount, formatPercent } from './formatNumber.ts'

export function ImportProgressBar(props: { fileName: string; progress: JobProgress | null; cancelling: boolean; onCancel: () => void }) {
  const percent = props.progress?.percent ?? 0
  return (
    <section className="card" aria-label="Import progress">
      <h2>Importing {props.fileName}</h2>
      <progress max={100} value={percent} aria-label="Import progress" />
      <p className="progress-line" role="status">
        {formatCount(props.progress?.rows ?? 0)} rows · {formatCount(props.progress?.rowsPerSec ?? 0)} rows/s · {formatPercent(percent)}
      </p>
      <button type="button" onClick={props.onCancel} disabled={props.cancelling}>
        {props.cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </section>
  )
}
