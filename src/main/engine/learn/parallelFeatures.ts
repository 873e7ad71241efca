// Counting the TF-IDF features of every text (tokenising and hashing: most of featurising) on two
// threads: a helper counts the second part of the texts while this thread counts the first. Rows are
// independent, so the two parts are simply joined. A training counts each text once this way, and an
// update (which re-reads 38k texts) halves its features stage on 2 cores.
import { availableParallelism } from 'node:os'
import { isMainThread, parentPort, workerData } from 'node:worker_threads'
import { startModuleWorker } from '../jobs/moduleWorker.ts'
import { countFeatures, type CountedRows, type TfidfParams } from '../inference/tfidf.ts'
import { joinIndptr } from './featureRows.ts'

/** Below this many characters counting takes well under a second: not worth a thread's start. */
const MIN_CHARS = 2_000_000

interface CountSetup {
  readonly countFeatures: { readonly texts: readonly string[]; readonly params: TfidfParams }
}

export async function countFeaturesInParallel(texts: readonly string[], params: TfidfParams, threads: number): Promise<CountedRows> {
  let chars = 0
  for (const t of texts) chars += Math.min(t.length, 20_000)
  if (threads < 2 || availableParallelism() < 2 || chars < MIN_CHARS) return countFeatures(texts, params)
  // The helper's part starts where half of the characters are behind.
  let split = 0
  for (let acc = 0; split < texts.length && acc < chars / 2; split++) acc += Math.min(texts[split]!.length, 20_000)
  const setup: CountSetup = { countFeatures: { texts: texts.slice(split), params } }
  const worker = startModuleWorker(import.meta.url, setup)
  const theirs = new Promise<CountedRows>((resolve, reject) => {
    worker.once('message', (m: CountedRows) => resolve(m))
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`the featurising helper thread stopped (exit code ${code})`)))
  })
  // Failures are handled below: the rows are then counted here.
  theirs.catch(() => undefined)
  try {
    const ours = countFeatures(texts.slice(0, split), params)
    const tail = await theirs.catch(() => countFeatures(texts.slice(split), params))
    return joinCounted(ours, tail)
  } finally {
    await worker.terminate()
  }
}

function joinCounted(a: CountedRows, b: CountedRows): CountedRows {
  const indptr = joinIndptr(a.indptr, b.indptr)
  const features = new Int32Array(a.features.length + b.features.length)
  features.set(a.features)
  features.set(b.features, a.features.length)
  const counts = new Uint16Array(features.length)
  counts.set(a.counts)
  counts.set(b.counts, a.counts.length)
  return { rows: a.rows + b.rows, indptr, features, counts }
}

if (!isMainThread && parentPort && (workerData as Partial<CountSetup> | undefined)?.countFeatures) {
  const { texts, params } = (workerData as CountSetup).countFeatures
  const counted = countFeatures(texts, params)
  parentPort.postMessage(counted, [counted.indptr.buffer as ArrayBuffer, counted.features.buffer as ArrayBuffer, counted.counts.buffer as ArrayBuffer])
}
