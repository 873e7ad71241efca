import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { fitTfidf } from '../inference/tfidf.ts'
import { buildFeatureRows, featureSpace } from './featureRows.ts'
import { balancedSplit, startObjectiveHelper } from './objectiveHelper.ts'
import { itServiceSplitFile } from '../testShared.ts'
import { classWeights, fitSoftmaxRegression, partialObjective, sumWeights } from './softmaxRegression.ts'

// Real it-service tickets where the shared datasets are, else fixture tickets in the same layout.
const rows = (parse(readFileSync(itServiceSplitFile('train.csv')), { columns: true }) as Record<string, string>[]).slice(0, 1500)
const texts = rows.map((r) => r.Document!)
const classes = [...new Set(rows.map((r) => r.Topic_group!))].sort()
const labels = Int32Array.from(rows, (r) => classes.indexOf(r.Topic_group!))
const C = classes.length
// Real TF-IDF rows next to a small dense block, as with an embedder.
const dim = 8
const dense = new Float32Array(texts.length * dim).map((_, i) => Math.cos(i * 0.11))
const x = buildFeatureRows(featureSpace(fitTfidf(texts), dim, 1), texts, dense)
const weights = classWeights(labels, C, 'sqrt')
const weightSum = sumWeights(labels, weights)
const P = (x.denseDim + x.sparseDim + 1) * C

describe('objective helper thread', () => {
  it('splits the rows where half of the work is done', () => {
    const split = balancedSplit(x)
    expect(split).toBeGreaterThan(0)
    expect(split).toBeLessThan(x.rows)
    const work = (from: number, to: number) => x.indptr[to]! - x.indptr[from]! + (to - from) * dim
    expect(Math.abs(work(0, split) - work(split, x.rows))).toBeLessThan(work(0, x.rows) * 0.05)
  })

  it('gives the loss and gradient of the whole objective, evaluation after evaluation', async () => {
    const helper = await startObjectiveHelper(x, labels, C, weights, weightSum)
    try {
      for (const seed of [0.01, -0.03]) {
        const w = new Float64Array(P).map((_, i) => Math.sin(i * seed))
        const full = new Float64Array(P)
        const expected = partialObjective(w, x, labels, C, weights, weightSum, 0, x.rows, full)
        helper.start(w)
        const mine = new Float64Array(P)
        let loss = partialObjective(w, x, labels, C, weights, weightSum, 0, helper.split, mine)
        loss += helper.collect(mine)
        expect(loss).toBeCloseTo(expected, 10)
        let worst = 0
        for (let i = 0; i < P; i++) worst = Math.max(worst, Math.abs(mine[i]! - full[i]!))
        expect(worst).toBeLessThan(1e-12)
      }
    } finally {
      await helper.close()
    }
  })

  it('fits the same head with a helper as without', async () => {
    const alone = fitSoftmaxRegression(x, labels, C, { l2: 1e-5, maxIterations: 15, classWeights: weights })
    const helper = await startObjectiveHelper(x, labels, C, weights, weightSum)
    try {
      const shared = fitSoftmaxRegression(x, labels, C, { l2: 1e-5, maxIterations: 15, classWeights: weights, helper })
      let worst = 0
      for (let i = 0; i < alone.weights.length; i++) worst = Math.max(worst, Math.abs(alone.weights[i]! - shared.weights[i]!))
      expect(worst).toBeLessThan(1e-4)
    } finally {
      await helper.close()
    }
  })
})
