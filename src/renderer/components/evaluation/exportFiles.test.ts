import { describe, expect, it } from 'vitest'
import type { TicketRow } from '../../../shared/domain.ts'
import { REPORT } from './reportFixture.ts'
import { predictionsCsv } from './predictionsCsv.ts'
import { escapeHtml, reportHtml } from './reportHtml.ts'

const row: TicketRow = {
  id: 3,
  externalId: 'T-3',
  subject: 's',
  snippet: 's',
  created: null,
  status: null,
  priority: null,
  labels: { queue: 'Hardware, Desk' },
  predictions: { queue: { label: 'Access', confidence: 0.81234, top: [], needsReview: true, reviewReason: 'low_confidence' } }
}

describe('predictions CSV', () => {
  it('writes one line per ticket, blank prediction columns without a prediction', () => {
    const csv = predictionsCsv([row, { ...row, id: 4, externalId: 'T-4', predictions: {} }], 'queue')
    expect(csv.split('\r\n')).toEqual([
      'id,external_id,recorded_label,predicted,confidence,needs_review',
      '3,T-3,"Hardware, Desk",Access,0.8123,true',
      '4,T-4,"Hardware, Desk",,,',
      ''
    ])
  })
})

describe('report HTML', () => {
  it('is self-contained, escapes text and keeps only SVG chart markup', () => {
    const html = reportHtml({
      report: { ...REPORT, description: '<b>4</b> tickets' },
      drift: null,
      reviewWeeks: [{ start: '2026-11-02', reviewed: 20, accuracy: 0.9 }],
      charts: [
        { title: 'Reliability', svg: '<svg width="10"><rect/></svg>' },
        { title: 'Bad', svg: '<img src=x onerror=alert(1)>' }
      ],
      generatedAt: '2026-11-25T20:00:00Z'
    })
    expect(html).toContain('&lt;b&gt;4&lt;/b&gt; tickets')
    expect(html).toContain('<svg width="10"><rect/></svg>')
    expect(html).not.toContain('<img')
    expect(html).not.toMatch(/<script|<link|src=/)
    expect(html).toContain('<td>Accuracy</td><td>75.0%</td>')
    expect(html).toContain('<td>2026-11-02</td><td>20</td><td>90.0%</td>')
    expect(escapeHtml(`"'&`)).toBe('&quot;&#39;&amp;')
  })
})
