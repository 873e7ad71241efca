// The previewed per-queue thresholds, each editable before "Apply". A value under the review floor is
// allowed only as a lead's deliberate choice: it must be confirmed, and the engine records it as such.
import { useId } from 'react'
import { belowFloor, editedThresholds, type QueueEdits } from './queueThresholdEdits.ts'

interface Props {
  readonly derived: Readonly<Record<string, number>>
  readonly floor: number
  readonly edits: QueueEdits
  readonly onChange: (edits: QueueEdits) => void
}

export function QueueThresholdInputs({ derived, floor, edits, onChange }: Props) {
  const id = useId()
  const applied = editedThresholds(derived, edits)
  const below = applied ? belowFloor(applied, floor) : []
  return (
    <>
      <ul className="queue-thresholds">
        {Object.entries(derived).map(([label, value]) => (
          <li key={label}>
            <label>
              {label}{' '}
              <input
                type="number"
                min={0}
                max={1.01}
                step={0.01}
                aria-label={`${label} threshold`}
                value={edits.values[label] ?? value.toFixed(3)}
                onChange={(e) => onChange({ values: { ...edits.values, [label]: e.target.value }, confirmedBelowFloor: false })}
              />
            </label>
          </li>
        ))}
      </ul>
      {applied === null && <p className="error">Give each threshold as a number from 0 to 1.01.</p>}
      {below.length > 0 && (
        <p className="floor-note-deliberate">
          <input
            id={`${id}-deliberate`}
            type="checkbox"
            checked={edits.confirmedBelowFloor}
            onChange={(e) => onChange({ ...edits, confirmedBelowFloor: e.target.checked })}
          />{' '}
          <label htmlFor={`${id}-deliberate`}>
            Set {below.join(', ')} below the floor {floor.toFixed(2)} on purpose: their tickets under 50 % confidence are routed without review
          </label>
        </p>
      )}
    </>
  )
}
