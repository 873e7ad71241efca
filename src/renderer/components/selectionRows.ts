// The grid a version was tuned on, as rows for the Models page: each l2 and embedding weight tried on the
// validation split with its log-loss and accuracy, the chosen one marked.
import type { ModelSelectionView } from '../../shared/models.ts'
import { percent } from './modelMetrics.ts'

export interface SelectionRow {
  readonly l2: string
  readonly embeddingWeight: string
  readonly logLoss: string
  readonly accuracy: string
  readonly iterations: string
  readonly chosen: boolean
}

/** 1e-4 → "1e-4", 0.001 → "1e-3": l2 values are powers of ten, and read best as such. */
export function formatL2(x: number): string {
  if (!(x > 0)) return String(x)
  const exp = Math.floor(Math.log10(x) + 1e-9)
  const mantissa = Math.round((x / 10 ** exp) * 100) / 100
  return mantissa === 1 ? `1e${exp}` : `${mantissa}e${exp}`
}

export function selectionRows(s: ModelSelectionView): SelectionRow[] {
  return s.curve.map((p) => ({
    l2: formatL2(p.l2),
    embeddingWeight: p.embeddingScale.toString(),
    logLoss: Number.isFinite(p.nll) ? p.nll.toFixed(4) : '—',
    accuracy: percent(p.accuracy),
    iterations: String(p.iterations),
    chosen: p.l2 === s.l2 && p.embeddingScale === s.embeddingScale
  }))
}

/** "l2 1e-4, embedding weight 1, blend 0.4 (vote sharpness 4)": what was chosen, in one line. */
export function chosenText(s: ModelSelectionView): string {
  const blend = s.blendWeight > 0 ? `neighbour-vote blend ${s.blendWeight} (sharpness ${s.sharpness})` : 'no neighbour vote'
  return `l2 ${formatL2(s.l2)}, embedding weight ${s.embeddingScale}, ${blend}`
}
