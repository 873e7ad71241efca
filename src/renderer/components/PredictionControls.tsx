// Toolbar controls for predictions in the inbox: which target's active head to show, and the
// "needs review" / "differs from recorded" filters that run in the engine.
import { ValueOptions } from './ValueOptions.tsx'

export interface PredictionView {
  readonly target: string | null
  readonly needsReview: boolean
  readonly mismatch: boolean
}

export function PredictionControls(props: { targets: readonly string[]; value: PredictionView; onChange: (value: PredictionView) => void }) {
  const { targets, value, onChange } = props
  if (targets.length === 0) return <span className="hint">No trained model yet (see Models)</span>
  return (
    <div className="prediction-controls" role="group" aria-label="Predictions">
      <label className="filter">
        <span>Predictions</span>
        <select aria-label="Prediction target" value={value.target ?? ''} onChange={(e) => onChange({ ...value, target: e.target.value || null })}>
          <option value="">Hidden</option>
          <ValueOptions values={targets} />
        </select>
      </label>
      <label className="toggle">
        <input type="checkbox" checked={value.needsReview} disabled={value.target === null} onChange={(e) => onChange({ ...value, needsReview: e.target.checked })} />
        Needs review
      </label>
      <label className="toggle">
        <input type="checkbox" checked={value.mismatch} disabled={value.target === null} onChange={(e) => onChange({ ...value, mismatch: e.target.checked })} />
        Differs from recorded
      </label>
    </div>
  )
}
