// Every head trained for a target, newest first; any inactive one can be restored (made active again).
import type { ModelSummary } from '../../shared/models.ts'
import { formatCount } from './formatNumber.ts'
import { percent, threeDecimals } from './modelMetrics.ts'

export function ModelVersionsTable(props: { target: string; models: readonly ModelSummary[]; busyId: number | null; onRestore: (modelId: number) => void }) {
  const versions = [...props.models].sort((a, b) => b.version - a.version)
  if (versions.length === 0) return <p className="hint">No model trained for {props.target} yet.</p>
  return (
    <table className="imports versions" aria-label={`${props.target} model versions`}>
      <thead>
        <tr>
          <th scope="col">Version</th>
          <th scope="col">Trained</th>
          <th scope="col">Reads with</th>
          <th scope="col">Rows</th>
          <th scope="col">Accuracy</th>
          <th scope="col">Macro-F1</th>
          <th scope="col">ECE</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((m) => (
          <tr key={m.id}>
            <td>v{m.version}</td>
            <td>{new Date(m.createdAt).toLocaleString()}</td>
            <td>{m.embedder ?? 'word features'}</td>
            <td>{formatCount(m.trainingRows)}</td>
            <td>{percent(m.metrics.accuracy)}</td>
            <td>{threeDecimals(m.metrics.macroF1)}</td>
            <td>{threeDecimals(m.metrics.ece)}</td>
            <td>
              {m.active ? (
                <strong>Active</strong>
              ) : (
                <button type="button" disabled={props.busyId !== null} onClick={() => props.onRestore(m.id)} aria-label={`Restore v${m.version}`}>
                  {props.busyId === m.id ? 'Restoring…' : 'Restore'}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
