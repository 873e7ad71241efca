// A chart with its caption. `data-report-chart` marks it for "Save report", which copies the chart's
// <svg> as drawn; `tooltipBox` is the hover box every chart here shows its numbers in.
import type { ReactNode } from 'react'

export function ChartFigure({ title, caption, children }: { title: string; caption: string; children: ReactNode }) {
  return (
    <figure className="eval-chart" data-report-chart={title} aria-label={title}>
      {children}
      <figcaption>{caption}</figcaption>
    </figure>
  )
}

export function TooltipBox({ lines }: { lines: readonly string[] }) {
  return (
    <div className="eval-tooltip">
      {lines.map((line) => (
        <div key={line}>{line}</div>
      ))}
    </div>
  )
}

export const CHART_SIZE = { width: 460, height: 280 } as const
export const AXIS_TICK = { fill: '#1d232b', fontSize: 12 } as const
