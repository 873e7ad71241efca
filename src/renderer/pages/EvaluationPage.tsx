// Evaluation: how good a target's model is, on its held-out split or on what leads reviewed — headline
// figures, per-queue table, confusion heat map with the tickets behind a cell, calibration, the
// precision–coverage trade-off, drift by week, review accuracy, version comparison and exports.
import { useMemo, useRef, useState } from 'react'
import type { EvaluationSource } from '../../shared/evaluation.ts'
import { ClassFiguresTable } from '../components/evaluation/ClassFiguresTable.tsx'
import { ConfusionCellTickets } from '../components/evaluation/ConfusionCellTickets.tsx'
import { ConfusionHeatMap, type ChosenCell } from '../components/evaluation/ConfusionHeatMap.tsx'
import { DriftChart } from '../components/evaluation/DriftChart.tsx'
import { HeadlineCards } from '../components/evaluation/HeadlineCards.tsx'
import { ModelComparison } from '../components/evaluation/ModelComparison.tsx'
import { PrecisionCoverageChart } from '../components/evaluation/PrecisionCoverageChart.tsx'
import { ReliabilityChart } from '../components/evaluation/ReliabilityChart.tsx'
import { ReportExport } from '../components/evaluation/ReportExport.tsx'
import { ReviewAccuracyChart } from '../components/evaluation/ReviewAccuracyChart.tsx'
import { useEvaluationQuery } from '../components/evaluation/useEvaluationQuery.ts'
import { ValueOptions } from '../components/ValueOptions.tsx'
import { thresholdNotes } from '../components/thresholdNotes.ts'
import type { ModelSummary } from '../../shared/models.ts'
import '../components/evaluation/evaluation.css'
import { TrainingNotice } from '../components/TrainingNotice.tsx'

const SOURCE_TEXT: Readonly<Record<EvaluationSource, string>> = {
  holdout: 'Held-out split of the model',
  reviews: 'Review decisions'
}

export function EvaluationPage({ onShowModels }: { onShowModels?: () => void }) {
  const modelList = useEvaluationQuery('model.list', {})
  const models = useMemo(() => modelList.data ?? [], [modelList.data])
  const listError = modelList.error
  const targets = useMemo(() => [...new Set(models.map((m) => m.target))], [models])
  const [chosenTarget, setTarget] = useState<string | null>(null)
  const target = chosenTarget !== null && targets.includes(chosenTarget) ? chosenTarget : (targets[0] ?? null)
  const [source, setSource] = useState<EvaluationSource>('holdout')
  const [cell, setCell] = useState<ChosenCell | null>(null)
  const chartsRoot = useRef<HTMLDivElement>(null)

  const report = useEvaluationQuery('eval.report', target === null ? null : { target, source })
  const drift = useEvaluationQuery('eval.drift', target === null ? null : { target })
  const reviewWeeks = useEvaluationQuery('eval.reviewAccuracy', target === null ? null : { target })
  const shown = report.data ?? null
  // A report on no tickets (no reviews yet, or a model trained without a validation split) has only zeros to show.
  const figures = shown !== null && shown.n > 0 ? shown : null

  if (modelList.data !== undefined && targets.length === 0) {
    return (
      <div className="page eval-page">
        <h1>Evaluation</h1>
        <div className="empty-results" role="status">
          <p>No model yet. Train a model on the Models page, then come back to see how well it routes tickets.</p>
          {onShowModels && (
            <button type="button" className="primary" onClick={onShowModels}>
              Open Models
            </button>
          )}
        </div>
      </div>
    )
  }

  return (
    <div className="page eval-page" ref={chartsRoot}>
      <h1>Evaluation</h1>
      <TrainingNotice page="evaluation" />
      <div className="toolbar eval-toolbar">
        <label>
          Target{' '}
          <select aria-label="Evaluation target" value={target ?? ''} onChange={(e) => {
              setTarget(e.target.value)
              setCell(null)
            }}>
            <ValueOptions values={targets} />
          </select>
        </label>
        <label>
          Source{' '}
          <select aria-label="Evaluation source" value={source} onChange={(e) => {
              setSource(e.target.value as EvaluationSource)
              setCell(null)
            }}>
            <ValueOptions values={['holdout', 'reviews'] as const} label={(s) => SOURCE_TEXT[s]} />
          </select>
        </label>
        {figures && <ReportExport report={figures} drift={drift.data ?? null} reviewWeeks={reviewWeeks.data ?? []} chartsRoot={chartsRoot} />}
      </div>
      {(listError || report.error) && <p role="alert" className="error">The engine could not evaluate: {report.error ?? listError}</p>}
      <p className="eval-source" data-testid="eval-source">
        {shown
          ? `Shown: ${SOURCE_TEXT[source].toLowerCase()} — ${shown.description}.`
          : report.loading || report.data === undefined
            ? 'Asking the engine…'
            : source === 'reviews'
              ? `Shown: review decisions — none yet for ${target}.`
              : `Shown: held-out split — no model for ${target} yet.`}
      </p>

      {figures === null && report.data !== undefined && source === 'reviews' && (
        <p className="empty-results">No reviews yet. Review tickets on the Review page to see how the model does on what leads decided.</p>
      )}
      {report.data === null && source === 'holdout' && <p className="empty-results">No model for {target} yet. Train a model on the Models page.</p>}
      {report.data && report.data.n === 0 && source === 'holdout' && (
        <p className="empty-results">This model has no held-out tickets to measure (too few labelled tickets to split off). Import more labelled tickets and train again.</p>
      )}

      {figures && target && (
        <>
          <HeadlineCards report={figures} />
          <section className="card" aria-labelledby="eval-per-queue">
            <h2 id="eval-per-queue">Per {target}</h2>
            <ClassFiguresTable target={target} rows={figures.perClass} />
          </section>
          <section className="card" aria-labelledby="eval-confusion">
            <h2 id="eval-confusion">Confusion matrix</h2>
            <div className={`confusion-layout${cell ? ' with-cell' : ''}`}>
              <ConfusionHeatMap report={figures} chosen={cell} onChoose={setCell} />
              {cell && (
                <ConfusionCellTickets key={`${cell.truth}→${cell.predicted}`} target={target} source={source} modelId={figures.modelId} cell={cell} onClose={() => setCell(null)} />
              )}
            </div>
          </section>
          <section className="card" aria-labelledby="eval-calibration">
            <h2 id="eval-calibration">Calibration and thresholds</h2>
            <div className="eval-charts">
              <ReliabilityChart bins={figures.reliability} ece={figures.ece} />
              <PrecisionCoverageChart
                key={`${figures.modelId}:${figures.threshold}`}
                curve={figures.curve}
                threshold={figures.threshold}
                floorNotes={floorNotesOf(models.find((m) => m.id === figures.modelId))}
              />
            </div>
          </section>
        </>
      )}

      {target && (
        <section className="card" aria-labelledby="eval-over-time">
          <h2 id="eval-over-time">Over time</h2>
          <div className="eval-charts">
            {drift.error && <p role="alert" className="error">{drift.error}</p>}
            {drift.data === null && <p className="empty-results">No drift figures: tickets need created dates (map a created column when importing).</p>}
            {drift.data && (drift.data.periods.length > 0 ? <DriftChart drift={drift.data} /> : <p className="empty-results">No dated tickets yet: tickets need created dates to show drift.</p>)}
            {reviewWeeks.error && <p role="alert" className="error">{reviewWeeks.error}</p>}
            {reviewWeeks.data && (reviewWeeks.data.length > 0 ? <ReviewAccuracyChart weeks={reviewWeeks.data} /> : <p className="empty-results">No reviews yet. Review tickets to see the model's accuracy on what leads decided, week by week.</p>)}
          </div>
        </section>
      )}

      {target && (
        <section className="card" aria-labelledby="eval-compare">
          <h2 id="eval-compare">Compare versions</h2>
          <ModelComparison target={target} models={models} />
        </section>
      )}
    </div>
  )
}

function floorNotesOf(model: ModelSummary | undefined): string[] {
  return model ? thresholdNotes(model.thresholds).map((n) => n.text) : []
}
