// Precision against coverage as the confidence threshold sweeps 0.00 … 0.99, with the threshold in use
// marked, and a what-if point that reads another threshold off the same curve (no engine call): drag it
// along the curve with the mouse, or use the slider (keyboard). Queues whose threshold is not the derived
// one (held at the review floor, or set below it by a lead) are listed under it: the curve alone would
// suggest coverage those queues do not get.
import { useState } from 'react'
import { CartesianGrid, Line, LineChart, ReferenceDot, Tooltip, XAxis, YAxis, type MouseHandlerDataParam } from 'recharts'
import type { CurveFigure } from '../../../shared/evaluation.ts'
import { AXIS_TICK, CHART_SIZE, ChartFigure, TooltipBox } from './ChartFigure.tsx'
import { curvePointAt, markerLabelSide, percent } from './evaluationFigures.ts'
import { OKABE_ITO } from './palette.ts'

export function PrecisionCoverageChart({ curve, threshold, floorNotes = [] }: { curve: readonly CurveFigure[]; threshold: number; floorNotes?: readonly string[] }) {
  const [whatIf, setWhatIf] = useState(threshold)
  const [dragging, setDragging] = useState(false)
  const points = [...curve].filter((p) => p.coverage > 0).sort((a, b) => a.coverage - b.coverage || b.threshold - a.threshold)
  const current = curvePointAt(curve, threshold)
  const chosen = curvePointAt(curve, whatIf)
  const minPrecision = Math.min(1, ...points.map((p) => p.precision))
  const floor = Math.max(0, Math.floor(minPrecision * 10) / 10)
  if (points.length === 0) return <p className="empty-results">No precision–coverage curve for these tickets: they have no recorded confidences.</p>
  // The chart snaps the pointer to the nearest curve point; dragging moves the what-if threshold there.
  const follow = (state: MouseHandlerDataParam): void => {
    const point = points[Number(state.activeIndex)]
    if (point) setWhatIf(point.threshold)
  }

  return (
    <ChartFigure
      title="Precision–coverage curve"
      caption="Share of tickets routed without review (coverage) and how many of those are right (precision), for every confidence threshold. Circle: threshold in use; diamond: the what-if threshold (drag it along the curve, or use the slider)."
    >
      <LineChart
        {...CHART_SIZE}
        data={points}
        margin={{ top: 10, right: 16, bottom: 24, left: 8 }}
        accessibilityLayer
        style={{ cursor: dragging ? 'grabbing' : 'grab' }}
        onMouseDown={(state) => {
          setDragging(true)
          follow(state)
        }}
        onMouseMove={(state) => {
          if (dragging) follow(state)
        }}
        onMouseUp={() => setDragging(false)}
        onMouseLeave={() => setDragging(false)}
      >
        <CartesianGrid stroke="#dde1e7" />
        <XAxis type="number" dataKey="coverage" domain={[0, 1]} ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]} tick={AXIS_TICK} label={{ value: 'Coverage', position: 'insideBottom', offset: -12, fill: '#1d232b' }} />
        <YAxis type="number" domain={[floor, 1]} tick={AXIS_TICK} tickFormatter={(v: number) => v.toFixed(2)} label={{ value: 'Precision', angle: -90, position: 'insideLeft', fill: '#1d232b' }} />
        <Line type="stepAfter" dataKey="precision" stroke={OKABE_ITO.blue} strokeWidth={2} dot={false} isAnimationActive={false} />
        {current && <ReferenceDot x={current.coverage} y={current.precision} r={7} fill="#ffffff" stroke={OKABE_ITO.black} strokeWidth={2} label={{ value: 'in use', position: markerLabelSide(current), offset: 10, fill: '#1d232b' }} />}
        {chosen && (
          <ReferenceDot
            x={chosen.coverage}
            y={chosen.precision}
            r={7}
            shape={(props: { cx?: number; cy?: number }) => <path d={`M${props.cx ?? 0},${(props.cy ?? 0) - 8} l8,8 l-8,8 l-8,-8 z`} fill={OKABE_ITO.vermillion} stroke={OKABE_ITO.black} />}
          />
        )}
        <Tooltip
          content={({ active, payload }) => {
            const p = active ? (payload?.[0]?.payload as CurveFigure | undefined) : undefined
            return p ? <TooltipBox lines={[`Threshold ${p.threshold.toFixed(2)}`, `Coverage ${percent(p.coverage)}`, `Precision ${percent(p.precision)}`]} /> : null
          }}
        />
      </LineChart>
      <div className="what-if">
        <label>
          What-if threshold{' '}
          <input type="range" min={0} max={0.99} step={0.01} value={whatIf} onChange={(e) => setWhatIf(Number(e.target.value))} aria-valuetext={whatIf.toFixed(2)} />
        </label>
        <output aria-live="polite" data-testid="what-if">
          {chosen && current
            ? `At ${whatIf.toFixed(2)}: ${percent(chosen.coverage)} routed without review at ${percent(chosen.precision)} precision (in use ${threshold.toFixed(2)}: ${percent(current.coverage)} at ${percent(current.precision)}).`
            : 'No curve for this source.'}
        </output>
        {whatIf !== threshold && (
          <button type="button" className="link" onClick={() => setWhatIf(threshold)}>
            Back to the threshold in use
          </button>
        )}
      </div>
      {floorNotes.length > 0 && (
        <ul className="floor-notes" aria-label="Queue thresholds not as derived">
          {floorNotes.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      )}
    </ChartFigure>
  )
}
