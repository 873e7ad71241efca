// Review thresholds from a target precision: preview first (the thresholds and the coverage they buy on
// validation tickets), then apply. Nothing changes until "Apply". Queues whose derived threshold fell
// below the review floor are named with both values, so a lead sees why their coverage is lower; a lead
// may edit a queue's value, and set it below the floor only by confirming that it is on purpose.
import { useState } from 'react'
import type { ModelSummary, ThresholdPreview } from '../../shared/models.ts'
import { describeError } from '../api/describeError.ts'
import { useTriage } from '../api/TriageContext.tsx'
import { percent } from './modelMetrics.ts'
import { thresholdNotes, type ThresholdNote } from './thresholdNotes.ts'
import { OutcomeMessage, type Outcome } from './OutcomeMessage.tsx'
import { QueueThresholdInputs } from './QueueThresholdInputs.tsx'
import { belowFloor, editedThresholds, NO_EDITS, type QueueEdits } from './queueThresholdEdits.ts'

export function ThresholdPanel({ model }: { model: ModelSummary }) {
  const api = useTriage()
  const [precision, setPrecision] = useState('0.90')
  const [preview, setPreview] = useState<ThresholdPreview | null>(null)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<Outcome | null>(null)
  const [edits, setEdits] = useState<QueueEdits>(NO_EDITS)
  const value = Number(precision)
  const valid = Number.isFinite(value) && value >= 0.5 && value <= 0.999

  const runPreview = async () => {
    setBusy(true)
    setMessage(null)
    try {
      setPreview(await api.request('model.thresholdsPreview', { modelId: model.id, precision: value }))
      setEdits(NO_EDITS)
    } catch (err) {
      setPreview(null)
      setMessage({ text: describeError(err), error: true })
    } finally {
      setBusy(false)
    }
  }
  const floor = preview?.floor ?? model.thresholds.floor ?? 0.5
  const toApply = preview ? editedThresholds(preview.perClass, edits) : null
  const applicable = toApply !== null && (belowFloor(toApply, floor).length === 0 || edits.confirmedBelowFloor)
  const apply = async () => {
    if (!preview || !toApply || !applicable) return
    setBusy(true)
    try {
      await api.request('model.thresholdsApply', { modelId: model.id, global: preview.global, perClass: toApply, precision: preview.precision })
      setMessage({ text: `Applied: tickets below these thresholds now need review.`, error: false })
      setPreview(null)
    } catch (err) {
      setMessage({ text: describeError(err), error: true })
    } finally {
      setBusy(false)
    }
  }

  const perClass = Object.entries(preview?.perClass ?? {})
  const currentNotes = thresholdNotes(model.thresholds)
  const previewNotes = preview ? thresholdNotes({ ...preview, floored: preview.floored ?? {} }) : []
  return (
    <section className="threshold-panel" aria-label={`${model.target} review thresholds`}>
      <h3>Review thresholds</h3>
      <p className="hint">
        Current: global {model.thresholds.global.toFixed(2)}
        {Object.keys(model.thresholds.perClass).length > 0 ? `, ${Object.keys(model.thresholds.perClass).length} per-queue` : ''}.
      </p>
      <FloorNotes notes={currentNotes} label={`${model.target} thresholds not as derived`} />
      <div className="actions">
        <label>
          Target precision{' '}
          <input
            type="number"
            min={0.5}
            max={0.999}
            step={0.01}
            value={precision}
            onChange={(e) => {
              setPrecision(e.target.value)
              setPreview(null)
            }}
            aria-invalid={!valid}
          />
        </label>
        <button type="button" disabled={!valid || busy} onClick={() => void runPreview()}>
          Preview
        </button>
        <button type="button" className="primary" disabled={!preview || !applicable || busy} onClick={() => void apply()}>
          Apply
        </button>
      </div>
      {!valid && <p className="error">Give a precision between 0.5 and 0.999.</p>}
      {preview && (
        <div role="status" className="threshold-preview">
          <p>
            At {percent(preview.precision)} target precision: global threshold <strong>{preview.global.toFixed(3)}</strong>; coverage{' '}
            <strong>{percent(preview.coverage)}</strong> of validation tickets routed without review (measured precision {percent(preview.measuredPrecision)}).
          </p>
          <FloorNotes notes={previewNotes} label="Previewed thresholds held at the floor" />
          {perClass.length > 0 && (
            <details>
              <summary>Per-queue thresholds ({perClass.length})</summary>
              <QueueThresholdInputs derived={preview.perClass} floor={floor} edits={edits} onChange={setEdits} />
            </details>
          )}
        </div>
      )}
      <OutcomeMessage outcome={message} okClassName="ok-text" />
    </section>
  )
}

/**
 * The queues whose threshold is not what the precision derived. Below the floor (0.5) the model says its
 * label is more likely wrong than right, so a derived 0.00 would route every guess without review.
 */
function FloorNotes({ notes, label }: { notes: readonly ThresholdNote[]; label: string }) {
  if (notes.length === 0) return null
  return (
    <ul className="floor-notes" aria-label={label}>
      {notes.map((n) => (
        <li key={`${n.kind}:${n.label}`} className={`floor-note floor-note-${n.kind}`}>
          {n.text}
        </li>
      ))}
    </ul>
  )
}
