// How often the model's prediction was what a lead decided, week by week: the accuracy that matters in
// production, measured on reviewed tickets (biased towards hard ones, as review picks those).
import { Bar, BarChart, CartesianGrid, LabelList, Tooltip, XAxis, YAxis } from 'recharts'
import type { ReviewAccuracyWeek } from '../../../shared/evaluation.ts'
import { AXIS_TICK, CHART_SIZE, ChartFigure, TooltipBox } from './ChartFigure.tsx'
import { measurableWeeks, MIN_REVIEWS_PER_WEEK, percent } from './evaluationFigures.ts'
import { OKABE_ITO } from './palette.ts'

export function ReviewAccuracyChart({ weeks }: { weeks: readonly ReviewAccuracyWeek[] }) {
  const { shown, hidden, reviewed } = measurableWeeks(weeks)
  if (shown.length === 0) {
    return (
      <p className="empty-results" data-testid="review-accuracy-too-few">
        {reviewed.toLocaleString('en-US')} reviewed so far: accuracy by week is shown once a week has {MIN_REVIEWS_PER_WEEK} reviews (fewer make it
        noise).
      </p>
    )
  }
  const data = shown.map((w) => ({ ...w, n: `n=${w.reviewed}` }))
  const left = hidden > 0 ? ` ${hidden} week${hidden === 1 ? '' : 's'} with fewer than ${MIN_REVIEWS_PER_WEEK} reviews ${hidden === 1 ? 'is' : 'are'} left out.` : ''
  return (
    <ChartFigure title="Review accuracy by week" caption={`Share of reviewed tickets where the lead kept the predicted label, by week of the review; n is the week's reviews.${left}`}>
      <BarChart {...CHART_SIZE} data={data} margin={{ top: 10, right: 16, bottom: 24, left: 8 }} accessibilityLayer>
        <CartesianGrid stroke="#dde1e7" vertical={false} />
        <XAxis dataKey="start" tick={AXIS_TICK} label={{ value: 'Week from', position: 'insideBottom', offset: -12, fill: '#1d232b' }} />
        <YAxis type="number" domain={[0, 1]} tick={AXIS_TICK} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} label={{ value: 'Accuracy', angle: -90, position: 'insideLeft', fill: '#1d232b' }} />
        <Bar dataKey="accuracy" fill={OKABE_ITO.green} stroke={OKABE_ITO.black} isAnimationActive={false}>
          <LabelList dataKey="n" position="insideTop" fill="#1d232b" />
        </Bar>
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
