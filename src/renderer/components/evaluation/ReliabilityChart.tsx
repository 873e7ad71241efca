// Reliability diagram: per confidence bin, how often the model was right against how sure it was. Points
// on the diagonal are calibrated; below it, the model is over-confident.
import { CartesianGrid, ComposedChart, ReferenceLine, Scatter, Tooltip, XAxis, YAxis, ZAxis } from 'recharts'
import type { ReliabilityFigure } from '../../../shared/evaluation.ts'
import { AXIS_TICK, CHART_SIZE, ChartFigure, TooltipBox } from './ChartFigure.tsx'
import { percent, threeDecimals } from './evaluationFigures.ts'
import { OKABE_ITO } from './palette.ts'

export function ReliabilityChart({ bins, ece }: { bins: readonly ReliabilityFigure[]; ece: number | null }) {
  const points = bins.filter((b) => b.count > 0).map((b) => ({ ...b }))
  if (points.length === 0) return <p className="empty-results">No reliability diagram for these tickets: they have no recorded confidences.</p>
  return (
    <ChartFigure
      title="Reliability diagram"
      caption={`Accuracy against mean confidence per bin (dot size: tickets); dashed line: perfect calibration. ECE ${ece === null ? '—' : threeDecimals(ece)}.`}
    >
      <ComposedChart {...CHART_SIZE} margin={{ top: 10, right: 16, bottom: 24, left: 8 }} accessibilityLayer>
        <CartesianGrid stroke="#dde1e7" />
        <XAxis type="number" dataKey="meanConfidence" domain={[0, 1]} ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]} tick={AXIS_TICK} label={{ value: 'Mean confidence', position: 'insideBottom', offset: -12, fill: '#1d232b' }} />
        <YAxis type="number" dataKey="accuracy" domain={[0, 1]} ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]} tick={AXIS_TICK} label={{ value: 'Accuracy', angle: -90, position: 'insideLeft', fill: '#1d232b' }} />
        <ZAxis type="number" dataKey="count" range={[40, 400]} />
        <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke={OKABE_ITO.black} strokeDasharray="5 4" ifOverflow="extendDomain" />
        <Scatter name="Bins" data={points} fill={OKABE_ITO.blue} stroke={OKABE_ITO.black} isAnimationActive={false} />
        <Tooltip
          cursor={{ strokeDasharray: '3 3' }}
          content={({ active, payload }) => {
            const bin = active ? (payload?.[0]?.payload as ReliabilityFigure | undefined) : undefined
            return bin ? (
              <TooltipBox
                lines={[`Confidence ${bin.lower.toFixed(2)}–${bin.upper.toFixed(2)}`, `${bin.count} tickets`, `Mean confidence ${percent(bin.meanConfidence)}`, `Accuracy ${percent(bin.accuracy)}`]}
              />
            ) : null
          }}
        />
      </ComposedChart>
    </ChartFigure>
  )
}
