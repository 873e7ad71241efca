import { describe, expect, it } from 'vitest'
import type { TrainedHead } from '../learn/trainHead.ts'
import { withLocalTicketIds } from './predictTickets.ts'

describe('a head from another desktop', () => {
  const head = {
    classes: ['A', 'B'],
    neighbours: { vectors: new Float32Array([1, 0, 0, 1]), labels: new Int32Array([0, 1]), ids: new Int32Array([17, 23]) },
    validationNeighbours: { k: 1, queries: new Int32Array([40]), keys: new Int32Array([17]), scores: new Float32Array([0.9]) }
  } as unknown as TrainedHead

  it('forgets the ticket ids it carries (they are another database’s rows) and keeps its vectors and labels', () => {
    const here = withLocalTicketIds(head, { foreignTicketIds: true })
    expect(here.neighbours).toEqual({ vectors: head.neighbours!.vectors, labels: head.neighbours!.labels })
    expect(here.neighbours?.ids).toBeUndefined()
    expect(here.validationNeighbours).toBeUndefined()
    expect(here.classes).toEqual(['A', 'B'])
  })

  it('is unchanged when it was trained here', () => {
    expect(withLocalTicketIds(head, {})).toBe(head)
  })
})
