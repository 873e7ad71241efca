// How often the model's prediction was what a lead decided, week by week: the accuracy that matters in
// production, measured on reviewed tickets (biased towards hard ones, as review picks those).
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts'
import type { ReviewAccuracyWeek } from '../../../shared/evaluation.ts'
import { AXIS_TICK, CHART_SIZE, ChartFigure, TooltipBox } from './ChartFigure.tsx'
import { percent } from './evaluationFigures.ts'
import { OKABE_ITO } from './palette.ts'

export function ReviewAccuracyChart({ weeks }: { weeks: readonly ReviewAccuracyWeek[] }) {
  const data = weeks.map((w) => ({ ...w }))
  return (
    <ChartFigure title="Review accuracy by week" caption="Share of reviewed tickets where the lead kept the predicted label, by week of the review.">
      <BarChart {...CHART_SIZE} data={data} margin={{ top: 10, right: 16, bottom: 24, left: 8 }} accessibilityLayer>
        <CartesianGrid stroke="#dde1e7" vertical={false} />
        <XAxis dataKey="start" tick={AXIS_TICK} label={{ value: 'Week from', position: 'insideBottom', offset: -12, fill: '#1d232b' }} />
        <YAxis type="number" domain={[0, 1]} tick={AXIS_TICK} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} label={{ value: 'Accuracy', angle: -90, position: 'insideLeft', fill: '#1d232b' }} />
        <Bar dataKey="accuracy" fill={OKABE_ITO.green} stroke={OKABE_ITO.black} isAnimationActive={false} />
        <Tooltip
          cursor={{ fill: 'rgba(0,0,0,0.06)' }}
          content={({ active, payload }) => {
            const w = active ? (payload?.[0]?.payload as ReviewAccuracyWeek | undefined) : undefined
            return w ? <TooltipBox lines={[`Week from ${w.start}`, `${w.reviewed} reviewed`, `Accuracy ${percent(w.accuracy)}`]} /> : null
          }}
        />
      </BarChart>
    </ChartFigure>
  )
}
