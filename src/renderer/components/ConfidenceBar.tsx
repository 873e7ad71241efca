// A confidence as a bar plus its percentage in text; the band also changes the bar's pattern, so it
// reads without colour (and the colours are from the Okabe–Ito colour-blind-safe palette).
import { confidenceBand, confidencePercent } from './predictionDisplay.ts'

export function ConfidenceBar({ p, label }: { p: number; label?: string }) {
  const band = confidenceBand(p)
  const percent = confidencePercent(p)
  return (
    <span className={`confidence confidence-${band}`} role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(p * 100)} aria-label={label ?? 'Confidence'} aria-valuetext={`${percent} (${band})`}>
      <span className="confidence-track" aria-hidden="true">
        <span className="confidence-fill" style={{ width: percent === '—' ? 0 : percent }} />
      </span>
      <span className="confidence-text">{percent}</span>
    </span>
  )
}
