// Review, keyboard first: the least certain tickets one at a time, decided with single keys, the next
// one shown at once. Similar tickets sit beside it; the audit trail and the reviewer name are one click
// away. Keys: j/k or ↓/↑ move, Enter accepts, 1–9 pick, / searches all labels, u undoes, s skips.
// While the reviewer name is still the default, the queue asks for a name first and takes no decision.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { AuditTrailTable } from '../components/AuditTrailTable.tsx'
import { BulkAcceptDialog } from '../components/BulkAcceptDialog.tsx'
import { formatCount } from '../components/formatNumber.ts'
import { LabelSearch } from '../components/LabelSearch.tsx'
import { ReviewerNameField } from '../components/ReviewerNameField.tsx'
import { ReviewerNamePrompt } from '../components/ReviewerNamePrompt.tsx'
import { reviewChoices, formatPace, pacePerMinute } from '../components/reviewChoices.ts'
import { reviewFilterParams, type ReviewFilterForm } from '../components/reviewFilterParams.ts'
import { ReviewFilters } from '../components/ReviewFilters.tsx'
import { ReviewTicketCard } from '../components/ReviewTicketCard.tsx'
import { SimilarTicketsPanel } from '../components/SimilarTicketsPanel.tsx'
import { TicketDetailPanel } from '../components/TicketDetailPanel.tsx'
import { useBulkAccept } from '../components/useBulkAccept.ts'
import { useImportsList } from '../components/useImportsList.ts'
import { useInboxColumns } from '../components/useInboxColumns.ts'
import { activeTargets, useModelList } from '../components/useModelList.ts'
import { useNow } from '../components/useNow.ts'
import { useReviewSession } from '../components/useReviewSession.ts'
import { useReviewerName } from '../components/useReviewerName.ts'
import { TrainingNotice } from '../components/TrainingNotice.tsx'

const KEY_HELP = 'j/k or ↓/↑ move · Enter accept · 1–9 pick · / search labels · u undo · s skip'

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))
}

export function ReviewPage({ onShowModels }: { onShowModels: () => void }) {
  const { models } = useModelList()
  const targets = useMemo(() => activeTargets(models), [models])
  const columns = useInboxColumns()
  const imports = useImportsList()
  const [chosen, setChosen] = useState<ReviewFilterForm | null>(null)
  const form = useMemo<ReviewFilterForm | null>(() => {
    if (chosen && targets.includes(chosen.target)) return chosen
    const target = targets[0]
    return target === undefined ? null : { target, order: 'confidence', predicted: '', importId: '', from: '', to: '' }
  }, [chosen, targets])
  const formKey = JSON.stringify(form)
  const filter = useMemo(() => (form ? reviewFilterParams(form) : null), [formKey])
  const session = useReviewSession(filter)
  const [view, setView] = useState<'queue' | 'audit'>('queue')
  const [searching, setSearching] = useState(false)
  const [bulkOpen, setBulkOpen] = useState(false)
  const reviewer = useReviewerName()
  const named = reviewer.named
  const [openTicket, setOpenTicket] = useState<number | null>(null)
  const now = useNow(5_000)
  const pageRef = useRef<HTMLDivElement>(null)

  const allLabels = useMemo(() => columns?.targets.find((t) => t.target === form?.target)?.values ?? [], [columns, form?.target])
  const entry = session.entry
  const choices = useMemo(() => (entry ? reviewChoices(entry.item, allLabels) : []), [entry, allLabels])
  const choose = useCallback(
    (label: string | null) => {
      // No decision is recorded under the default name: the prompt asks for one first.
      if (!entry || !named) return
      session.decide(label === entry.item.predicted ? null : label)
    },
    [entry, session, named]
  )
  const bulk = useBulkAccept(session.reset)

  // Focus the page so keys work at once after switching to it (and once there is a queue to show).
  const hasQueue = form !== null
  useEffect(() => {
    if (hasQueue) pageRef.current?.focus()
  }, [hasQueue])

  const onKey = useRef<(e: KeyboardEvent) => void>(() => undefined)
  onKey.current = (e: KeyboardEvent) => {
    if (view !== 'queue' || !named || searching || bulkOpen || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return
    let handled = true
    if (e.key === 'j' || e.key === 'ArrowDown') session.move(1)
    else if (e.key === 'k' || e.key === 'ArrowUp') session.move(-1)
    else if (e.key === 'Enter') choose(null)
    else if (e.key === 'u') session.undo()
    else if (e.key === 's') session.skip()
    else if (e.key === '/') setSearching(entry !== null)
    else if (/^[1-9]$/.test(e.key)) {
      const choice = choices[Number(e.key) - 1]
      if (choice) choose(choice.label)
    } else handled = false
    if (handled) e.preventDefault()
  }
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey.current(e)
    window.addEventListener('keydown', listener)
    return () => window.removeEventListener('keydown', listener)
  }, [])

  const openBulk = () => setBulkOpen(named)

  if (!form || !filter) {
    return (
      <div className="page review-page">
        <h1>Review</h1>
        <section className="empty-state" aria-label="Nothing to review">
          <p>No model is trained yet, so nothing is flagged for review. Train one for a label target first.</p>
          <button type="button" className="primary" onClick={onShowModels}>
            Go to Models
          </button>
        </section>
      </div>
    )
  }

  const pace = pacePerMinute(session.session.decisions, session.session.startedAt, now)
  const skipped = session.buffer.entries.filter((e) => e.status === 'skipped').length
  const filterText = [
    `target ${filter.target}`,
    filter.predicted ? `predicted ${filter.predicted}` : null,
    filter.importId ? `import #${filter.importId}` : null,
    form.from ? `from ${form.from}` : null,
    form.to ? `to ${form.to}` : null
  ]
    .filter(Boolean)
    .join(', ')

  return (
    <div className="page review-page" ref={pageRef} tabIndex={-1}>
      <div className="review-head">
        <h1>Review</h1>
        <div role="group" aria-label="Review view" className="view-switch">
          <button type="button" aria-pressed={view === 'queue'} onClick={() => setView('queue')}>
            Queue
          </button>
          <button type="button" aria-pressed={view === 'audit'} onClick={() => setView('audit')}>
            Audit trail
          </button>
        </div>
        <ReviewerNameField saved={reviewer.name} save={reviewer.save} loadError={reviewer.error} />
      </div>
      <TrainingNotice page="review" />
      {view === 'audit' ? (
        <AuditTrailTable target={filter.target} />
      ) : (
        <>
          <div className="toolbar">
            <ReviewFilters targets={targets} labels={allLabels} imports={imports} value={form} onChange={setChosen} />
            <span className="review-counter">
              <strong data-testid="review-left" role="status" aria-label="Tickets left">
                {session.left === null ? '…' : `${formatCount(session.left)} left`}
              </strong>
              {' · '}
              <span data-testid="review-pace">{formatPace(pace)}</span>
              {' · '}
              {formatCount(session.session.decisions)} decided this session
            </span>
            <button type="button" disabled={!session.left || !named} onClick={openBulk}>
              Accept all {session.left ? formatCount(session.left) : ''}…
            </button>
          </div>
          <p className="key-help">{KEY_HELP}</p>
          {session.message && (
            <p role={session.message.kind === 'error' ? 'alert' : 'status'} className={`review-message ${session.message.kind}`}>
              {session.message.text}
            </p>
          )}
          <div className="review-layout">
            <div className="review-main">
              {!named ? (
                reviewer.name !== null || reviewer.error ? (
                  <ReviewerNamePrompt onSave={reviewer.save} loadError={reviewer.error} />
                ) : (
                  <p role="status">Loading…</p>
                )
              ) : entry ? (
                <ReviewTicketCard entry={entry} target={filter.target} choices={choices} onChoose={choose} />
              ) : session.loading ? (
                <p role="status">Loading the next tickets…</p>
              ) : (
                <section className="empty-state" aria-label="Queue done">
                  <h2>Nothing left to review here</h2>
                  <p>
                    {skipped > 0
                      ? `${formatCount(skipped)} skipped ticket${skipped === 1 ? '' : 's'} remain: press k to go back to them.`
                      : 'No flagged ticket matches these filters. Change the filters, or retrain when more labels are in.'}
                  </p>
                </section>
              )}
            </div>
            <div className="review-side">
              {openTicket !== null ? (
                <TicketDetailPanel ticketId={openTicket} onClose={() => setOpenTicket(null)} onOpenTicket={setOpenTicket} />
              ) : (
                entry &&
                named && (
                  <SimilarTicketsPanel ticketId={entry.item.ticketId} target={filter.target} onOpen={setOpenTicket} onUseLabel={(label) => choose(label)} />
                )
              )}
            </div>
          </div>
          {searching && entry && (
            <LabelSearch
              target={filter.target}
              labels={allLabels}
              onClose={() => setSearching(false)}
              onPick={(label) => {
                setSearching(false)
                choose(label)
              }}
            />
          )}
          {bulkOpen && (
            <BulkAcceptDialog
              count={session.left ?? 0}
              target={filter.target}
              reviewer={reviewer.name}
              filterText={filterText}
              state={bulk.state}
              onConfirm={() => void bulk.run(filter, session.left ?? 0)}
              onStop={bulk.cancel}
              onUndo={() => void bulk.undo()}
              onCancel={() => {
                setBulkOpen(false)
                bulk.dismiss()
              }}
            />
          )}
        </>
      )}
    </div>
  )
}
