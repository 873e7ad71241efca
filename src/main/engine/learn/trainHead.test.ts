import { readFileSync } from 'node:fs'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, describe, expect, it } from 'vitest'
import { evaluatePredictions } from '../evaluate/metrics.ts'
import { loadEmbedder } from '../inference/embedder.ts'
import { loadHeadFile, saveHeadFile } from '../predict/headFile.ts'
import { predictProbabilities, trainHead, TrainingError } from './trainHead.ts'
import { trainInWorker } from './trainWorker.ts'
import { installTestEncoder } from '../inference/testEncoder.ts'
import { itServiceSplitFile, SHARED_DATASETS, SHARED_MODELS } from '../testShared.ts'

// Real it-service tickets where the shared datasets are, else fixture tickets in the same layout. Small
// slices keep the suite fast; the full-size numbers come from `triage eval`.
const read = (file: 'train.csv' | 'test.csv'): Record<string, string>[] => parse(readFileSync(itServiceSplitFile(file)), { columns: true }) as Record<string, string>[]
const train = read('train.csv').slice(0, 1200)
const test = read('test.csv').slice(0, 300)
const scratch = mkdtempSync(join(tmpdir(), 'triage-head-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function allFinite(p: Float32Array): boolean {
  return p.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)
}

interface Bar {
  readonly accuracy: number
  readonly overMajority: number
  readonly ece: number
}

/** Trains on `train` with `embedder`'s vectors, checks the head on `test` against `bar`, then saves and reloads it. */
async function trainAndCheck(embedder: string, modelsDir: string, bar: Bar): Promise<void> {
  const e = await loadEmbedder(embedder, { modelsDir })
  const trainVectors = await e.embed(train.map((r) => r.Document!))
  const testVectors = await e.embed(test.map((r) => r.Document!))
  await e.close()
  const head = await trainHead(
    { texts: train.map((r) => r.Document!), labels: train.map((r) => r.Topic_group), embeddings: trainVectors, embeddingDim: e.dimension, embedder },
    { maxIterations: 30 }
  )
  expect(head.classes.length).toBe(new Set(train.map((r) => r.Topic_group)).size)
  expect(head.validation.method).toBe('stratified')
  expect(head.temperature).toBeGreaterThan(0)
  expect(head.blend.weight).toBeGreaterThanOrEqual(0)
  const probs = await predictProbabilities(head, test.map((r) => r.Document!), testVectors)
  expect(allFinite(probs)).toBe(true)
  const report = evaluatePredictions(test.map((r) => head.classes.indexOf(r.Topic_group!)), probs, head.classes)
  const majority = Math.max(...head.classes.map((c) => test.filter((r) => r.Topic_group === c).length)) / test.length
  expect(report.accuracy).toBeGreaterThan(bar.accuracy)
  expect(report.accuracy).toBeGreaterThan(majority + bar.overMajority)
  expect(report.ece).toBeLessThan(bar.ece)

  // Saved and reloaded (as the app stores heads), the head predicts the same; a damaged file is refused.
  const path = join(scratch, `${embedder}.head`)
  const { sha256 } = saveHeadFile(path, head)
  expect(sha256).toMatch(/^[0-9a-f]{64}$/)
  const back = loadHeadFile<typeof head>(path, sha256)
  const again = await predictProbabilities(back, test.map((r) => r.Document!), testVectors)
  for (let i = 0; i < probs.length; i++) expect(again[i]).toBeCloseTo(probs[i]!, 5)
  const bytes = readFileSync(path)
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff
  writeFileSync(path, bytes)
  expect(() => loadHeadFile(path, sha256)).toThrow(/checksum/)
}

describe('trainHead', () => {
  // The accuracy bar is the real model's on real tickets; it needs both (CI has them).
  it.skipIf(!SHARED_MODELS || !SHARED_DATASETS)('TF-IDF ⊕ use-lite-en head with neighbour vote beats the majority class and is calibrated on real it-service tickets', async () => {
    await trainAndCheck('use-lite-en', SHARED_MODELS!, { accuracy: 0.65, overMajority: 0.3, ece: 0.1 })
  })

  it('TF-IDF ⊕ embedding head trains, predicts and reloads with the test encoder, wherever the tests run', async () => {
    const modelsDir = join(scratch, 'models')
    installTestEncoder(modelsDir, 'test-encoder')
    await trainAndCheck('test-encoder', modelsDir, { accuracy: 0.5, overMajority: 0.2, ece: 0.2 })
  })
})

describe('an update', () => {
  it('reuses the validation tickets’ stored neighbours, named by ticket id, with the labels they have now', async () => {
    const modelsDir = join(scratch, 'models-update')
    installTestEncoder(modelsDir, 'test-encoder')
    const e = await loadEmbedder('test-encoder', { modelsDir })
    const rows = train.slice(0, 600)
    const texts = rows.map((r) => r.Document!)
    const embeddings = await e.embed(texts)
    await e.close()
    const ids = rows.map((_, i) => 1000 + 7 * i)
    const labels = rows.map((r) => r.Topic_group!)
    const input = { texts, labels, embeddings, embeddingDim: e.dimension, embedder: 'test-encoder', ids }
    const head = await trainHead(input, { maxIterations: 20 })
    const stored = head.validationNeighbours!
    expect(stored.queries.length).toBe(head.validationIndex.length)
    expect(Array.from(stored.queries)).toEqual(Array.from(head.validationIndex, (r) => ids[r]))
    expect(stored.keys.every((key) => ids.includes(key) && !stored.queries.includes(key))).toBe(true)
    // The vote blended in, whatever weight this small set chose, so the neighbours matter.
    const blended = { ...head, blend: { ...head.blend, weight: 0.4 } }
    // A lead moved ten training tickets to another queue; the rows come in another order (the ids say which is which).
    const held = new Set(head.validationIndex)
    const moved = new Set(rows.map((_, i) => i).filter((i) => !held.has(i)).slice(0, 10))
    const order = rows.map((_, i) => i).reverse()
    const relabelled = order.map((i) => (moved.has(i) ? head.classes.find((c) => c !== labels[i])! : labels[i]!))
    const reordered = {
      texts: order.map((i) => texts[i]!),
      labels: relabelled,
      embeddings: Float32Array.from(order.flatMap((i) => Array.from(embeddings.subarray(i * e.dimension, (i + 1) * e.dimension)))),
      embeddingDim: e.dimension,
      embedder: 'test-encoder',
      ids: order.map((i) => ids[i]!)
    }
    const validationRows = order.flatMap((i, at) => (held.has(i) ? [at] : []))
    const reusing = await trainHead(reordered, {}, {}, { head: blended, validationRows })
    const searching = await trainHead(reordered, {}, {}, { head: { ...blended, validationNeighbours: undefined }, validationRows })
    expect(reusing.validationNeighbours).toBe(blended.validationNeighbours)
    expect(reusing.temperature).toBeCloseTo(searching.temperature, 6)
    expect(Array.from(reusing.validationOutcomes.probabilities).map((p) => +p.toFixed(5))).toEqual(Array.from(searching.validationOutcomes.probabilities).map((p) => +p.toFixed(5)))
  })
})

describe('an update by consolidation', () => {
  it('learns corrected tickets from their rows alone, no worse on the held-out tickets, and carries the curvature on', async () => {
    const modelsDir = join(scratch, 'models-consolidation')
    installTestEncoder(modelsDir, 'test-encoder')
    const e = await loadEmbedder('test-encoder', { modelsDir })
    const rows = train.slice(0, 800)
    const texts = rows.map((r) => r.Document!)
    const embeddings = await e.embed(texts)
    await e.close()
    const ids = rows.map((_, i) => 5000 + 3 * i)
    const truth = rows.map((r) => r.Topic_group!)
    // Twelve training tickets were filed in the wrong queue; the version learnt them that way.
    const classes = [...new Set(truth)].sort()
    const wrong = new Set(Array.from({ length: 12 }, (_, i) => 40 + 17 * i))
    const filed = truth.map((label, i) => (wrong.has(i) ? classes[(classes.indexOf(label) + 1) % classes.length]! : label))
    const input = { texts, embeddings, embeddingDim: e.dimension, embedder: 'test-encoder', ids }
    const head = await trainHead({ ...input, labels: filed }, { maxIterations: 30 })
    expect(head.fitCurvature?.length).toBe(head.fitWeights!.length)
    expect(head.fitCurvature!.every((d) => d > 0)).toBe(true)
    // A lead corrects the ones that were not held out.
    const held = new Set(head.validationIndex)
    const corrected = [...wrong].filter((i) => !held.has(i))
    expect(corrected.length).toBeGreaterThan(5)
    const labels = filed.map((label, i) => (corrected.includes(i) ? truth[i]! : label))
    const warm = { head, validationRows: Array.from(head.validationIndex), formerValidationIds: Array.from(head.validationIndex, (r) => ids[r]!) }
    const updated = await trainHead({ ...input, labels }, {}, {}, warm)
    expect(updated.update?.consolidated).toBe(corrected.length)
    expect(updated.fitCurvature?.length).toBe(head.fitCurvature!.length)
    // Held-out tickets, after calibration: the log-loss within 10 % of the previous version's (on 120
    // tickets it moves a few per cent either way: 0.722 → 0.718 on it-service, 0.106 → 0.113 on the
    // fixture tickets; a consolidation that runs away gave 0.74 → 4.9), and accuracy as the full update's below.
    expect(updated.validation.nll).toBeLessThanOrEqual(head.validation.nll * 1.1)
    // The corrected tickets' true queue gained probability under the head's own weights (no neighbour vote).
    const C = head.classes.length
    const plain = (h: typeof head) => ({ ...h, blend: { ...h.blend, weight: 0 }, temperature: 1, bias: undefined })
    const pick = (i: number) => embeddings.subarray(i * e.dimension, (i + 1) * e.dimension)
    const vectors = Float32Array.from(corrected.flatMap((i) => Array.from(pick(i))))
    const before = await predictProbabilities(plain(head), corrected.map((i) => texts[i]!), vectors)
    const after = await predictProbabilities(plain(updated), corrected.map((i) => texts[i]!), vectors)
    const gained = corrected.filter((i, k) => after[k * C + head.classes.indexOf(truth[i]!)]! > before[k * C + head.classes.indexOf(truth[i]!)]!)
    expect(gained.length).toBe(corrected.length)
    // Forty tickets moved to a wrong queue: the held-out tickets turn the consolidation down, the weights stay,
    // and the next update tries those tickets again instead of taking them as learnt.
    const misfiled = Array.from({ length: 40 }, (_, i) => 300 + 9 * i).filter((i) => !held.has(i))
    const worse = labels.map((label, i) => (misfiled.includes(i) ? classes[(classes.indexOf(truth[i]!) + 2) % classes.length]! : label))
    const formerIds = Array.from(updated.validationIndex, (r) => ids[r]!)
    // (Held almost not at all by the previous fit, so that the wrong queues surely cost held-out tickets.)
    const loose = { consolidationStiffness: 1e-4 }
    const turnedDown = await trainHead({ ...input, labels: worse }, loose, {}, { head: updated, validationRows: Array.from(updated.validationIndex), formerValidationIds: formerIds })
    expect(turnedDown.fitWeights!.every((w, i) => w === updated.fitWeights![i])).toBe(true)
    expect(Array.from(turnedDown.consolidationPending ?? []).sort()).toEqual(misfiled.map((i) => ids[i]!).sort())
    const again = await trainHead({ ...input, labels: worse }, {}, {}, { head: turnedDown, validationRows: Array.from(turnedDown.validationIndex), formerValidationIds: formerIds })
    expect(again.update?.consolidated).toBe(misfiled.length)
    // Without the previous version's held-out ids it cannot tell what the fit learnt: the full update runs.
    const full = await trainHead({ ...input, labels }, {}, {}, { head, validationRows: warm.validationRows })
    expect(full.update?.consolidated).toBeUndefined()
    expect(updated.validation.accuracy).toBeGreaterThanOrEqual(full.validation.accuracy - 0.01)
  })
})

describe('bad training input', () => {
  const texts = train.slice(0, 300).map((r) => r.Document!)
  const labels = train.slice(0, 300).map((r) => r.Topic_group!)

  it('no labelled rows', async () => {
    await expect(trainHead({ texts, labels: texts.map(() => '  ') })).rejects.toMatchObject({ code: 'NO_LABELLED_ROWS' })
  })

  it('a single class', async () => {
    await expect(trainHead({ texts, labels: texts.map(() => 'Hardware') })).rejects.toThrow(/at least two queues/)
  })

  it('a target with 5,000 distinct values is refused as an identifier', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => `ticket ${i}`)
    const err = await trainHead({ texts: many, labels: many.map((_, i) => `ID-${i}`) }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TrainingError)
    expect(err).toMatchObject({ code: 'TOO_MANY_CLASSES', message: expect.stringMatching(/5000 distinct values/) })
  })

  it('a class with one example, empty texts and a 50,000-char body give finite probabilities', async () => {
    const head = await trainHead(
      { texts: [...texts, '', 'y'.repeat(50_000), 'unique queue ticket'], labels: [...labels, 'Hardware', 'Access', 'Singleton'] },
      { maxIterations: 30 }
    )
    expect(head.classes).toContain('Singleton')
    const probs = await predictProbabilities(head, ['', 'z'.repeat(50_000), texts[0]!])
    expect(allFinite(probs)).toBe(true)
    for (let r = 0; r < 3; r++) {
      const row = probs.subarray(r * head.classes.length, (r + 1) * head.classes.length)
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4)
    }
  })

  it('mismatched label count is a clear error', async () => {
    await expect(trainHead({ texts, labels: labels.slice(1) })).rejects.toMatchObject({ code: 'BAD_INPUT' })
  })
})

describe('trainInWorker', () => {
  const texts = train.slice(0, 800).map((r) => r.Document!)
  const labels = train.slice(0, 800).map((r) => r.Topic_group!)

  it('trains off the main thread and reports progress', async () => {
    const stages = new Set<string>()
    const head = await trainInWorker({ texts, labels }, { maxIterations: 20 }, { onProgress: (p) => stages.add(p.stage) })
    expect(head.classes.length).toBeGreaterThan(2)
    expect(head.linear.weights).toBeInstanceOf(Float32Array)
    expect([...stages]).toEqual(expect.arrayContaining(['features', 'fit', 'done']))
  })

  it('cancels with an AbortError', async () => {
    const controller = new AbortController()
    const pending = trainInWorker({ texts, labels }, { maxIterations: 500 }, { signal: controller.signal, onProgress: (p) => p.stage === 'fit' && controller.abort() })
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('passes training errors through with their code', async () => {
    await expect(trainInWorker({ texts, labels: texts.map(() => '') })).rejects.toMatchObject({ code: 'NO_LABELLED_ROWS' })
  })
})
