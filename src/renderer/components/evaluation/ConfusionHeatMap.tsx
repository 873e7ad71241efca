// Confusion matrix as a heat map: recorded label per row, predicted label per column, each cell shaded by
// its share of the row (so a small queue's mistakes show as clearly as a big one's). Cells are buttons:
// choosing one lists its tickets.
import type { EvaluationReportView } from '../../../shared/evaluation.ts'
import { cellName, percent, rowShares } from './evaluationFigures.ts'
import { heatShade } from './palette.ts'

export interface ChosenCell {
  readonly truth: string
  readonly predicted: string
  readonly count: number
}

interface Props {
  readonly report: EvaluationReportView
  readonly chosen: ChosenCell | null
  readonly onChoose: (cell: ChosenCell) => void
}

export function ConfusionHeatMap({ report, chosen, onChoose }: Props) {
  const shares = rowShares(report.confusion)
  return (
    <div className="eval-table-scroll">
      <table className="confusion" aria-label="Confusion matrix">
        <thead>
          <tr>
            <th scope="col" className="confusion-corner">
              Recorded ↓ · predicted →
            </th>
            {report.classes.map((label) => (
              <th key={label} scope="col" className="confusion-col">
                <span>{label}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.classes.map((truth, t) => (
            <tr key={truth}>
              <th scope="row">{truth}</th>
              {report.classes.map((predicted, p) => {
                const count = report.confusion[t]?.[p] ?? 0
                const share = shares[t]?.[p] ?? 0
                const shade = heatShade(share)
                const isChosen = chosen?.truth === truth && chosen.predicted === predicted
                return (
                  <td key={predicted} className={t === p ? 'diagonal' : undefined}>
                    <button
                      type="button"
                      className={`confusion-cell${isChosen ? ' chosen' : ''}`}
                      style={{ background: shade.fill, color: shade.text }}
                      aria-label={cellName(truth, predicted, count)}
                      aria-pressed={isChosen}
                      title={`${cellName(truth, predicted, count)} (${percent(share)} of ${truth})`}
                      disabled={count === 0}
                      onClick={() => onChoose({ truth, predicted, count })}
                    >
                      {count}
                    </button>
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">Shading: share of the row's tickets (white 0 % → dark blue 100 %). The diagonal is outlined: those are right.</p>
    </div>
  )
}
