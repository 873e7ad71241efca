// A second thread for the training objective: rows are independent, so a helper computes the loss and
// gradient of the second half of the rows while the trainer computes the first, and the trainer adds
// the two. Parameters and the helper's gradient live in SharedArrayBuffers; the hand-off is a pair of
// Atomics counters, so the L-BFGS loop stays synchronous. On 2 cores this takes a 38k-ticket fit from
// ~1.2 s to ~0.7 s per evaluation. The same file is the helper's entry point.
import { availableParallelism } from 'node:os'
import { isMainThread, parentPort, workerData } from 'node:worker_threads'
import { startModuleWorker } from '../jobs/moduleWorker.ts'
import { partialObjective, type FeatureRows, type ObjectiveHelper } from './softmaxRegression.ts'

/** Below this many stored feature values a fit takes seconds anyway and a thread start is not worth it. */
const MIN_VALUES = 2_000_000
/** A helper half-pass takes well under a second; this long without an answer means it is gone. */
const ANSWER_TIMEOUT_MS = 120_000
/** An idle helper ends on its own if its trainer vanished without closing it (a cancelled job). */
const IDLE_EXIT_MS = 300_000

const GENERATION = 0
const DONE = 1
const STOP = 2

interface HelperSetup {
  readonly objectiveHelper: {
    readonly x: FeatureRows
    readonly labels: Int32Array
    readonly classes: number
    readonly classWeights: Float64Array
    readonly weightSum: number
    readonly params: SharedArrayBuffer
    readonly grad: SharedArrayBuffer
    readonly control: SharedArrayBuffer
    readonly loss: SharedArrayBuffer
  }
}

/** The first row of the helper's share: where half of the work (stored values plus dense width) is done. */
export function balancedSplit(x: FeatureRows): number {
  const work = (r: number): number => x.indptr[r + 1]! - x.indptr[r]! + x.denseDim
  let total = 0
  for (let r = 0; r < x.rows; r++) total += work(r)
  let acc = 0
  for (let r = 0; r < x.rows; r++) {
    acc += work(r)
    if (acc >= total / 2) return r + 1
  }
  return x.rows
}

/** Rows [from, rows) as their own FeatureRows (copied: the helper gets them once, at start). */
function tailRows(x: FeatureRows, from: number): FeatureRows {
  const base = x.indptr[from]!
  const indptr = new Int32Array(x.rows - from + 1)
  for (let r = from; r <= x.rows; r++) indptr[r - from] = x.indptr[r]! - base
  return {
    rows: x.rows - from,
    dense: x.dense.slice(from * x.denseDim),
    denseDim: x.denseDim,
    indptr,
    indices: x.indices.slice(base),
    values: x.values.slice(base),
    sparseDim: x.sparseDim
  }
}

export function helperWorthwhile(x: FeatureRows): boolean {
  return availableParallelism() >= 2 && x.values.length + x.rows * x.denseDim >= MIN_VALUES
}

export async function startObjectiveHelper(x: FeatureRows, labels: Int32Array, C: number, classWeights: Float64Array, weightSum: number): Promise<ObjectiveHelper> {
  const P = (x.denseDim + x.sparseDim + 1) * C
  const split = balancedSplit(x)
  const params = new SharedArrayBuffer(P * 8)
  const grad = new SharedArrayBuffer(P * 8)
  const control = new SharedArrayBuffer(4 * 4)
  const loss = new SharedArrayBuffer(8)
  const setup: HelperSetup = {
    objectiveHelper: { x: tailRows(x, split), labels: labels.slice(split), classes: C, classWeights, weightSum, params, grad, control, loss }
  }
  const worker = startModuleWorker(import.meta.url, setup)
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve())
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`the training helper thread stopped at start (exit code ${code})`)))
  })
  worker.removeAllListeners('exit')
  worker.removeAllListeners('error')
  // Errors after start surface as a missing answer in collect(); the listener keeps them from crashing.
  worker.on('error', () => {})
  const shared = new Float64Array(params)
  const helperGrad = new Float64Array(grad)
  const ctrl = new Int32Array(control)
  const helperLoss = new Float64Array(loss)
  let generation = 0
  return {
    split,
    start(w) {
      shared.set(w)
      generation++
      Atomics.store(ctrl, GENERATION, generation)
      Atomics.notify(ctrl, GENERATION)
    },
    collect(out) {
      const deadline = performance.now() + ANSWER_TIMEOUT_MS
      for (let done = Atomics.load(ctrl, DONE); done !== generation; done = Atomics.load(ctrl, DONE)) {
        if (performance.now() > deadline) throw new Error('the training helper thread stopped answering')
        Atomics.wait(ctrl, DONE, done, 1000)
      }
      for (let i = 0; i < P; i++) out[i]! += helperGrad[i]!
      return helperLoss[0]!
    },
    async close() {
      Atomics.store(ctrl, STOP, 1)
      Atomics.add(ctrl, GENERATION, 1)
      Atomics.notify(ctrl, GENERATION)
      await worker.terminate()
    }
  }
}

if (!isMainThread && parentPort && (workerData as Partial<HelperSetup> | undefined)?.objectiveHelper) {
  const h = (workerData as HelperSetup).objectiveHelper
  const w = new Float64Array(h.params)
  const grad = new Float64Array(h.grad)
  const ctrl = new Int32Array(h.control)
  const loss = new Float64Array(h.loss)
  parentPort.postMessage('ready')
  let seen = 0
  let idleSince = performance.now()
  while (Atomics.load(ctrl, STOP) === 0) {
    if (Atomics.wait(ctrl, GENERATION, seen, 1000) === 'timed-out') {
      if (performance.now() - idleSince > IDLE_EXIT_MS) break
      continue
    }
    const generation = Atomics.load(ctrl, GENERATION)
    if (generation === seen || Atomics.load(ctrl, STOP) !== 0) continue
    seen = generation
    grad.fill(0)
    loss[0] = partialObjective(w, h.x, h.labels, h.classes, h.classWeights, h.weightSum, 0, h.x.rows, grad)
    Atomics.store(ctrl, DONE, generation)
    Atomics.notify(ctrl, DONE)
    idleSince = performance.now()
  }
  parentPort.close()
}
