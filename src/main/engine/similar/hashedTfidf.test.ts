import { describe, expect, it } from 'vitest'
import { fixtureTickets } from '../fixtureTickets.ts'
import { fitHashedIdf, fitHashedIdfInSlices } from './hashedTfidf.ts'

describe('fitHashedIdfInSlices', () => {
  it('fits the same weights as the one-pass fit, pausing between slices', async () => {
    const texts = fixtureTickets(700, 4).map((t) => `${t.subject}\n${t.body}`)
    let pauses = 0
    const sliced = await fitHashedIdfInSlices(texts, async () => void pauses++, 100)
    const whole = fitHashedIdf(texts)
    expect(pauses).toBe(6)
    expect(sliced.documents).toBe(700)
    expect(sliced.params).toEqual(whole.params)
    expect(Array.from(sliced.idf)).toEqual(Array.from(whole.idf))
    expect(Array.from((await fitHashedIdfInSlices([], async () => {})).idf)).toEqual(Array.from(fitHashedIdf([]).idf))
  })
})
