// What a training run produced: the new head's held-out numbers next to the previous head's on the same
// tickets, whether it was activated and why; "Activate" when it was not.
import type { TrainSummary } from '../../shared/models.ts'
import { formatCount } from './formatNumber.ts'
import { metricRows } from './modelMetrics.ts'

const CHANGE_TEXT = { better: '▲ better', worse: '▼ worse', same: '= same' } as const

export function TrainResultCard(props: { summary: TrainSummary; activating: boolean; onActivate: (modelId: number) => void }) {
  const { summary } = props
  const { model } = summary
  const rows = metricRows(model.metrics, summary.previousOnSameData)
  return (
    <section className="card train-result" aria-label={`Training result for ${model.target}`}>
      <h3>
        {model.target} v{model.version}: {summary.activated ? 'activated' : 'not activated'}
      </h3>
      {model.update && (
        <p className="hint">
          Updated from v{model.update.fromVersion ?? '?'}: its weights were the starting point, and the review decisions since were learnt.
        </p>
      )}
      <p className={summary.activated ? 'ok-text' : 'hint'}>{summary.activation}</p>
      <table className="metrics">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">New v{model.version}</th>
            <th scope="col">{summary.previous ? `Previous v${summary.previous.version} (same data)` : 'Previous'}</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name}>
              <th scope="row">{row.name}</th>
              <td>{row.current}</td>
              <td>{row.previous}</td>
              <td className={row.change ? `change-${row.change}` : undefined}>{row.change ? CHANGE_TEXT[row.change] : 'no previous model'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        Trained on {formatCount(model.trainingRows)} tickets, checked on {formatCount(model.metrics.validationRows)} held out ({model.metrics.validationMethod} split),{' '}
        {model.embedder ?? 'built-in word features'}. {formatCount(summary.predicted)} tickets predicted, {formatCount(summary.needsReview)} need review.
      </p>
      {!summary.activated && (
        <button type="button" className="primary" disabled={props.activating} onClick={() => props.onActivate(model.id)}>
          {props.activating ? 'Activating…' : `Activate v${model.version}`}
        </button>
      )}
    </section>
  )
}
