// Similar past tickets for one ticket: how similar ("87% similar"), label and where it came from, snippet and date. A click
// opens the ticket; in Review, "Use this <target>" applies a hit's label as the decision.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { JobProgress } from '../../shared/domain.ts'
import type { SimilarResult } from '../../shared/similar.ts'
import { EngineError } from '../../shared/errors.ts'
import { describeError } from '../api/describeError.ts'
import { useEngineEvent, useTriage } from '../api/TriageContext.tsx'
import { bodyAfterTitle, ticketTitle } from '../../shared/ticketTitle.ts'
import { formatCreated } from './formatCreated.ts'
import { formatCount } from './formatNumber.ts'
import { similarityLabel } from './inboxLayout.ts'
import { TicketTitleText } from './TicketTitleText.tsx'

const K = 5
const RETRY_MS = 2000

function isEmbeddingTickets(progress: JobProgress): boolean {
  return (progress.kind === 'index' && (progress.phase === undefined || progress.phase === 'embedding')) || (progress.kind === 'import' && progress.phase === 'index')
}

type State = { readonly phase: 'loading' } | { readonly phase: 'ready'; readonly result: SimilarResult } | { readonly phase: 'not-ready' } | { readonly phase: 'failed'; readonly message: string }

interface Props {
  readonly ticketId: number
  readonly target?: string | undefined
  readonly onOpen: (ticketId: number) => void
  readonly onUseLabel?: ((label: string) => void) | undefined
}

export function SimilarTicketsPanel({ ticketId, target, onOpen, onUseLabel }: Props) {
  const api = useTriage()
  const [state, setState] = useState<State>({ phase: 'loading' })
  const [indexing, setIndexing] = useState(false)
  const [generation, setGeneration] = useState(0)
  const reload = useCallback(() => setGeneration((g) => g + 1), [])

  useEffect(() => {
    let live = true
    setState((s) => (s.phase === 'ready' ? s : { phase: 'loading' }))
    api
      .request('similar.query', { ticketId, k: K, ...(target ? { target } : {}) })
      .then((result) => live && setState({ phase: 'ready', result }))
      .catch((err: unknown) => {
        if (!live) return
        if (err instanceof EngineError && err.code === 'SIMILAR_NOT_READY') setState({ phase: 'not-ready' })
        else setState({ phase: 'failed', message: describeError(err) })
      })
    return () => {
      live = false
    }
  }, [api, ticketId, target, generation])

  useEngineEvent('data.changed', (change) => (change.what === 'labels' || change.what === 'tickets') && reload())
  // Tickets are embedded by index jobs and by the import job's index phase. While nothing could be
  // answered, each saved batch is a chance to answer: ask again (at most every two seconds) instead of
  // waiting for the whole job, which on a fresh import of thousands of tickets takes minutes on a slow machine.
  const [embedding, setEmbedding] = useState<JobProgress | undefined>()
  const lastRetry = useRef(0)
  useEngineEvent('job.progress', (progress) => {
    if (!isEmbeddingTickets(progress)) return
    setEmbedding(progress)
    if (state.phase !== 'not-ready' || performance.now() - lastRetry.current < RETRY_MS) return
    lastRetry.current = performance.now()
    reload()
  })
  useEngineEvent('job.done', (done) => {
    if (done.kind !== 'index' && done.kind !== 'import') return
    setEmbedding(undefined)
    if (done.kind === 'index') setIndexing(false)
    reload()
  })
  useEngineEvent('job.failed', (failed) => {
    if (failed.kind === 'index' || failed.kind === 'import') setEmbedding(undefined)
    if (failed.kind === 'index') setIndexing(false)
  })

  const buildIndex = () => {
    setIndexing(true)
    api.request('similar.index', {}).catch((err: unknown) => {
      setIndexing(false)
      setState({ phase: 'failed', message: describeError(err) })
    })
  }

  return (
    <section aria-label="Similar tickets" className="similar">
      <h3>Similar tickets</h3>
      {state.phase === 'loading' && <p role="status">Finding similar tickets…</p>}
      {state.phase === 'failed' && <p role="alert" className="error">Similar tickets are unavailable: {state.message}</p>}
      {state.phase === 'not-ready' && embedding && (
        <p role="status" className="empty-note">
          Indexing tickets for similarity: {formatCount(embedding.rows)}
          {embedding.total !== undefined ? ` of ${formatCount(embedding.total)}` : ''}… similar tickets appear here as soon as the first are indexed.
        </p>
      )}
      {state.phase === 'not-ready' && !embedding && (
        <div className="empty-note">
          <p>No ticket has been indexed for similarity yet. Indexing runs after each import; if it did not finish, build the index now.</p>
          <button type="button" onClick={buildIndex} disabled={indexing}>
            {indexing ? 'Indexing…' : 'Build the similarity index'}
          </button>
        </div>
      )}
      {state.phase === 'ready' && state.result.hits.length === 0 && <p className="empty-note">No similar tickets yet: this is the only indexed ticket like it.</p>}
      {state.phase === 'ready' && state.result.hits.length > 0 && (
        <ol className="similar-list">
          {state.result.hits.map((hit) => (
            <li key={hit.ticketId}>
              <button type="button" className="similar-open" onClick={() => onOpen(hit.ticketId)}>
                <span className="similar-score" title={`Cosine similarity ${hit.score.toFixed(2)}`}>
                  {similarityLabel(hit.score)}
                </span>
                <TicketTitleText className="similar-subject" title={ticketTitle(hit.subject, hit.snippet)} />
              </button>
              <span className="similar-meta">
                {hit.label !== null ? (
                  <span className="label-chip">
                    {hit.label}
                    <span className="muted"> ({hit.origin === 'review' ? 'reviewed' : 'recorded'})</span>
                  </span>
                ) : (
                  target && <span className="muted">no {target}</span>
                )}{' '}
                <span className="muted">{formatCreated(hit.created)}</span>
              </span>
              <span className="similar-snippet">{bodyAfterTitle(ticketTitle(hit.subject, hit.snippet), hit.snippet)}</span>
              {onUseLabel && hit.label !== null && target && (
                <button type="button" onClick={() => onUseLabel(hit.label ?? '')}>
                  Use this {target}: {hit.label}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      {state.phase === 'ready' && <p className="hint">By {state.result.embedder}{state.result.exact ? ' (exact)' : ''}.</p>}
    </section>
  )
}
