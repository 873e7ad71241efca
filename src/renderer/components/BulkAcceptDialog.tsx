// The confirmation before accepting a whole filtered queue: it states the count and what will be
// recorded, then shows progress and the outcome, with "Undo all" to take the whole batch back in one step.
import { useEffect, useRef } from 'react'
import { formatCount } from './formatNumber.ts'
import type { BulkState } from './useBulkAccept.ts'

interface Props {
  readonly count: number
  readonly target: string
  readonly reviewer: string | null
  readonly filterText: string
  readonly state: BulkState
  readonly onConfirm: () => void
  readonly onCancel: () => void
  readonly onStop: () => void
  readonly onUndo: () => void
}

export function BulkAcceptDialog({ count, target, reviewer, filterText, state, onConfirm, onCancel, onStop, onUndo }: Props) {
  const cancelButton = useRef<HTMLButtonElement>(null)
  // Cancel is focused, so a stray Enter never accepts hundreds of tickets.
  useEffect(() => cancelButton.current?.focus(), [])
  return (
    <div className="modal-backdrop">
      <div
        className="modal"
        role="alertdialog"
        aria-modal="true"
        aria-label="Accept all predictions"
        onKeyDown={(e) => {
          e.stopPropagation()
          if (e.key === 'Escape' && state.phase !== 'running' && !(state.phase === 'finished' && state.undo?.phase === 'running')) onCancel()
        }}
      >
        {state.phase === 'idle' && (
          <>
            <h2>Accept {formatCount(count)} predictions?</h2>
            <p>
              This records the predicted {target} as the reviewed label for all <strong>{formatCount(count)}</strong> tickets in this queue ({filterText}), as{' '}
              {reviewer ?? 'the current reviewer'}. Each decision appears in the audit trail; afterwards you can undo all of them in one step, or one by one.
            </p>
            <div className="actions">
              <button type="button" className="primary" onClick={onConfirm}>
                Accept {formatCount(count)} tickets
              </button>
              <button type="button" ref={cancelButton} onClick={onCancel}>
                Cancel
              </button>
            </div>
          </>
        )}
        {state.phase === 'running' && (
          <>
            <h2>Accepting predictions…</h2>
            <progress max={state.of} value={state.done} aria-label="Bulk accept progress" />
            <p role="status">
              {formatCount(state.done)} of {formatCount(state.of)}
            </p>
            <button type="button" onClick={onStop}>
              Stop
            </button>
          </>
        )}
        {state.phase === 'finished' && !state.undo && (
          <>
            <h2>{state.stopped ? 'Stopped' : 'Done'}</h2>
            <p role="status">
              Accepted {formatCount(state.accepted)} of {formatCount(state.of)}.{state.failed > 0 ? ` ${formatCount(state.failed)} were not recorded: ${state.firstError ?? ''}` : ''}
            </p>
            <div className="actions">
              <button type="button" className="primary" onClick={onCancel}>
                Close
              </button>
              {state.accepted > 0 && (
                <button type="button" onClick={onUndo}>
                  Undo all {formatCount(state.accepted)}
                </button>
              )}
            </div>
          </>
        )}
        {state.phase === 'finished' && state.undo && (
          <>
            <h2>{state.undo.phase === 'running' ? 'Undoing…' : state.undo.phase === 'done' ? 'Undone' : 'Not undone'}</h2>
            {state.undo.phase === 'running' && <p role="status">Undoing {formatCount(state.accepted)} decisions…</p>}
            {state.undo.phase === 'done' && (
              <p role="status">
                Undid {formatCount(state.undo.undone)} decision{state.undo.undone === 1 ? '' : 's'}: those tickets have their previous labels again and are back in the queue.
              </p>
            )}
            {state.undo.phase === 'failed' && <p role="alert">{state.undo.error}</p>}
            <button type="button" className="primary" disabled={state.undo.phase === 'running'} onClick={onCancel}>
              Close
            </button>
          </>
        )}
      </div>
    </div>
  )
}
