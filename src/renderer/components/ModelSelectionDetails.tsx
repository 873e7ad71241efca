// How a version was tuned: the l2 and embedding weights tried on the validation split (its validation
// curve) and the blend chosen after them, so a lead can see the choice was measured, not fixed.
import type { ModelSummary } from '../../shared/models.ts'
import { chosenText, selectionRows } from './selectionRows.ts'

export function ModelSelectionDetails({ model }: { model: ModelSummary }) {
  const s = model.selection
  if (!s) return null
  const rows = selectionRows(s)
  return (
    <details className="selection" aria-label={`How ${model.target} v${model.version} was tuned`}>
      <summary>
        How v{model.version} was tuned: {chosenText(s)}
      </summary>
      {model.update && (
        <p className="hint">
          Updated from v{model.update.fromVersion ?? '?'} (warm start, same settings)
          {model.update.skippedRows > 0 ? `; ${model.update.skippedRows} tickets with a queue that version does not know were left out: train to learn it` : ''}.
        </p>
      )}
      {rows.length > 1 ? (
        <table className="metrics" aria-label={`Validation curve of ${model.target} v${model.version}`}>
          <thead>
            <tr>
              <th scope="col">l2</th>
              <th scope="col">Embedding weight</th>
              <th scope="col">Validation log-loss</th>
              <th scope="col">Validation accuracy (head alone)</th>
              <th scope="col">Iterations</th>
              <th scope="col">Chosen</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.l2}-${r.embeddingWeight}`}>
                <td>{r.l2}</td>
                <td>{r.embeddingWeight}</td>
                <td>{r.logLoss}</td>
                <td>{r.accuracy}</td>
                <td>{r.iterations}</td>
                <td>{r.chosen ? '✓ lowest log-loss' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="hint">One setting, no grid search.</p>
      )}
    </details>
  )
}
