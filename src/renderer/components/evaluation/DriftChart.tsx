// Prediction drift by week: how far each week's predicted queues are from the training labels (PSI),
// against the usual bands (< 0.1 stable, 0.1–0.2 moderate, > 0.2 significant). Hover for JS distance.
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts'
import type { DriftPeriod, DriftView } from '../../../shared/evaluation.ts'
import { AXIS_TICK, CHART_SIZE, ChartFigure, TooltipBox } from './ChartFigure.tsx'
import { threeDecimals } from './evaluationFigures.ts'
import { OKABE_ITO } from './palette.ts'

const BAND_TEXT = { stable: 'stable', moderate: 'moderate drift', significant: 'significant drift' } as const

export function DriftChart({ drift }: { drift: DriftView }) {
  const data = drift.periods.map((p) => ({ ...p }))
  // Room above the highest week, rounded up to a tenth so the axis ticks stay round.
  const top = Math.max(0.3, Math.ceil(Math.max(...drift.periods.map((p) => p.psi ?? 0)) * 11) / 10)
  const latest = [...drift.periods].reverse().find((p) => p.band !== null)
  return (
    <ChartFigure
      title="Drift by week"
      caption={`PSI of each week's predicted ${drift.target} against the training labels. Shaded: moderate (0.1–0.2) and significant (> 0.2). Weeks under 20 tickets are not compared.${drift.undated > 0 ? ` ${drift.undated} tickets without a created date are left out.` : ''}`}
    >
      {latest && (
        <p className="hint" data-testid="drift-latest">
          Latest compared week ({latest.start}): PSI {threeDecimals(latest.psi ?? 0)}, {BAND_TEXT[latest.band ?? 'stable']}.
        </p>
      )}
      <LineChart {...CHART_SIZE} data={data} margin={{ top: 10, right: 40, bottom: 24, left: 8 }} accessibilityLayer>
        <ReferenceArea y1={0.1} y2={0.2} fill={OKABE_ITO.orange} fillOpacity={0.18} ifOverflow="hidden" />
        <ReferenceArea y1={0.2} y2={top} fill={OKABE_ITO.vermillion} fillOpacity={0.18} ifOverflow="hidden" />
        <CartesianGrid stroke="#dde1e7" />
        <XAxis dataKey="start" tick={AXIS_TICK} label={{ value: 'Week from', position: 'insideBottom', offset: -12, fill: '#1d232b' }} />
        <YAxis type="number" domain={[0, top]} tick={AXIS_TICK} tickFormatter={(v: number) => v.toFixed(2)} label={{ value: 'PSI', angle: -90, position: 'insideLeft', fill: '#1d232b' }} />
        <ReferenceLine y={0.1} stroke={OKABE_ITO.orange} strokeDasharray="4 3" label={{ value: '0.1', position: 'right', fill: '#1d232b', fontSize: 11 }} />
        <ReferenceLine y={0.2} stroke={OKABE_ITO.vermillion} strokeDasharray="8 3" label={{ value: '0.2', position: 'right', fill: '#1d232b', fontSize: 11 }} />
        <Line type="linear" dataKey="psi" stroke={OKABE_ITO.blue} strokeWidth={2} dot={{ r: 3, fill: OKABE_ITO.blue }} connectNulls={false} isAnimationActive={false} />
        <Tooltip
          content={({ active, payload }) => {
            const p = active ? (payload?.[0]?.payload as DriftPeriod | undefined) : undefined
            return p ? (
              <TooltipBox
                lines={[
                  `Week from ${p.start}`,
                  `${p.tickets} tickets`,
                  p.psi === null ? 'Too few tickets to compare' : `PSI ${threeDecimals(p.psi)} (${BAND_TEXT[p.band ?? 'stable']})`,
                  ...(p.jsDistance === null ? [] : [`JS distance ${threeDecimals(p.jsDistance)}`])
                ]}
              />
            ) : null
          }}
        />
      </LineChart>
    </ChartFigure>
  )
}
