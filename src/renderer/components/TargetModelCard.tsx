// One label target on the Models page: train a head (choosing the featuriser), follow and cancel the
// run, compare the result with the previous head, restore older versions and set review thresholds.
import { useCallback, useState } from 'react'
import type { ModelStatus, ModelSummary } from '../../shared/models.ts'
import { describeError } from '../api/describeError.ts'
import { useTriage } from '../api/TriageContext.tsx'
import { formatCount, formatPercent } from './formatNumber.ts'
import { ModelSelectionDetails } from './ModelSelectionDetails.tsx'
import { ModelVersionsTable } from './ModelVersionsTable.tsx'
import { useEngineJob } from './useEngineJob.ts'
import { ThresholdPanel } from './ThresholdPanel.tsx'
import { TrainResultCard } from './TrainResultCard.tsx'
import { useTrainJob } from './useTrainJob.ts'
import { wholeJobPercent } from './jobWords.ts'

export const BUILT_IN = 'none'

const PHASE_TEXT: Readonly<Record<string, string>> = {
  embedding: 'embedding tickets',
  features: 'building features',
  fit: 'fitting',
  calibrate: 'calibrating',
  refit: 'refitting on all data',
  predicting: 'predicting every ticket',
  done: 'finishing'
}

interface Props {
  readonly target: string
  readonly labelledTickets: number
  readonly status: ModelStatus | null
  readonly models: readonly ModelSummary[]
}

export function TargetModelCard({ target, labelledTickets, status, models }: Props) {
  const api = useTriage()
  const trainJob = useTrainJob()
  const updateJob = useEngineJob('train', useCallback((t: string) => api.request('model.update', { target: t }), [api]))
  // The card follows whichever of the two it started last; both are jobs of kind train.
  const [following, setFollowing] = useState<'train' | 'update'>('train')
  const job = following === 'update' ? updateJob : trainJob
  const doing = following === 'update' ? 'Updating' : 'Training'
  const installed = status?.embedders.filter((e) => e.installed) ?? []
  const [embedder, setEmbedder] = useState<string | null>(null)
  const chosen = embedder ?? status?.activeEmbedder ?? installed[0]?.name ?? BUILT_IN
  const [busyId, setBusyId] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const active = models.find((m) => m.active)
  const busy = (s: typeof job.state) => s.phase === 'running' || s.phase === 'starting'
  const running = busy(trainJob.state) || busy(updateJob.state)

  const activate = async (modelId: number) => {
    setBusyId(modelId)
    setError(null)
    try {
      await api.request('model.activate', { modelId })
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusyId(null)
    }
  }

  return (
    <section className="card" aria-label={`Model for ${target}`}>
      <h2>
        {target} <span className="hint">· {formatCount(labelledTickets)} labelled tickets</span>
      </h2>
      <p>
        {active
          ? `Active: v${active.version}, ${formatPercent(active.metrics.accuracy * 100)} held-out accuracy, ${active.classes.length} labels.`
          : 'No active model: train one to get predictions.'}
      </p>
      <div className="actions">
        <label>
          Reads tickets with{' '}
          <select
            aria-label={`Reads ${target} tickets with`}
            title="What turns a ticket's text into numbers the model learns from: an embedding model (which understands wording) together with the built-in word features, or the word features alone (faster, no download)."
            value={chosen}
            onChange={(e) => setEmbedder(e.target.value)}
            disabled={running}
          >
            {installed.map((e) => (
              <option key={e.name} value={e.name}>
                {e.displayName} + word features
              </option>
            ))}
            <option value={BUILT_IN}>Word features only (no download)</option>
          </select>
        </label>
        <button
          type="button"
          className="primary"
          disabled={running}
          onClick={() => {
            setFollowing('train')
            void trainJob.start(target, chosen)
          }}
        >
          Train {target}
        </button>
        <button
          type="button"
          disabled={running || !active}
          title={
            active
              ? `A new version from v${active.version} in seconds: it starts from v${active.version}'s weights and learns the review decisions made since; it replaces v${active.version} only if better on the same held-out tickets.`
              : 'Train a model first: an update starts from the active version.'
          }
          onClick={() => {
            setFollowing('update')
            void updateJob.start(target)
          }}
        >
          Update model
        </button>
      </div>
      {job.state.phase === 'running' && (
        <div className="train-progress" aria-label={`${doing} ${target}`} role="group">
          <progress max={100} value={wholeJobPercent(job.state.progress)} aria-label={`${doing} progress for ${target}`} />
          <p className="progress-line" role="status">
            {doing}{job.state.progress?.phase ? ` (${PHASE_TEXT[job.state.progress.phase] ?? job.state.progress.phase})` : ''}… {formatPercent(wholeJobPercent(job.state.progress))}
            {job.state.progress && job.state.progress.rows > 0 ? ` · ${formatCount(job.state.progress.rows)} rows` : ''}
          </p>
          <button type="button" onClick={() => void job.cancel()} disabled={job.state.cancelling}>
            {job.state.cancelling ? 'Cancelling…' : following === 'update' ? 'Cancel the update' : 'Cancel training'}
          </button>
        </div>
      )}
      {job.state.phase === 'starting' && <p role="status">Starting {following === 'update' ? 'the update' : 'training'}…</p>}
      {job.state.phase === 'failed' && (
        <p role="alert" className="error">
          {following === 'update' ? 'The update' : 'Training'} failed: {job.state.message}
        </p>
      )}
      {job.state.phase === 'done' && (
        <TrainResultCard
          summary={job.state.summary}
          activating={busyId === job.state.summary.model.id}
          onActivate={(id) => void activate(id)}
        />
      )}
      {error && <p role="alert" className="error">{error}</p>}
      <h3>Versions</h3>
      <ModelVersionsTable target={target} models={models} busyId={busyId} onRestore={(id) => void activate(id)} />
      {active && <ModelSelectionDetails model={active} />}
      {active && <ThresholdPanel key={active.id} model={active} />}
    </section>
  )
}
