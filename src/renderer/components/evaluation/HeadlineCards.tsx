// The six figures a lead reads first, each with a line saying what it measures.
import type { EvaluationReportView } from '../../../shared/evaluation.ts'
import { headlines } from './evaluationFigures.ts'

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
}

export function HeadlineCards({ report }: { report: EvaluationReportView }) {
  return (
    <dl className="eval-headlines" aria-label="Headline figures">
      {headlines(report).map((h) => (
        <div key={h.name} className="eval-headline" title={h.hint}>
          <dt>{h.name}</dt>
          <dd data-testid={`headline-${slug(h.name)}`} data-value={h.raw ?? undefined}>
            {h.value}
          </dd>
          <dd className="eval-headline-hint">{h.hint}</dd>
        </div>
      ))}
    </dl>
  )
}
