// Exact k-nearest neighbours by cosine (dot product of unit vectors) for the neighbour vote. Scoring
// 10k queries against 40k × 384 labelled vectors is ~150 GFLOP: too slow in plain JS, a few seconds
// as one Gemm + TopK graph in onnxruntime.
import * as ort from 'onnxruntime-node'
import { encodeOnnxModel } from '../inference/onnxGraph.ts'
import { defaultIntraOpThreads } from '../inference/executionProviders.ts'

export interface Neighbours {
  k: number
  /** Row-major queries × k, best first. */
  indices: Int32Array
  scores: Float32Array
}

const QUERY_CHUNK = 512

function topKModel(dimension: number): Uint8Array {
  return encodeOnnxModel({
    name: 'cosine_top_k',
    inputs: [
      { name: 'queries', type: 'float', shape: ['q', dimension] },
      { name: 'keys', type: 'float', shape: ['n', dimension] },
      { name: 'k', type: 'int64', shape: [1] }
    ],
    outputs: [
      { name: 'scores', type: 'float', shape: ['q', 'k'] },
      { name: 'indices', type: 'int64', shape: ['q', 'k'] }
    ],
    nodes: [
      { op: 'Gemm', inputs: ['queries', 'keys'], outputs: ['similarity'], attributes: { transB: 1 } },
      { op: 'TopK', inputs: ['similarity', 'k'], outputs: ['scores', 'indices'], attributes: { axis: -1, largest: 1, sorted: 1 } }
    ]
  })
}

/**
 * For each query row, the k most similar key rows. `excludeSelf` skips a key with the same index as
 * the query (used when queries and keys are the same set, so a ticket does not vote for itself).
 */
export async function nearestNeighbours(
  queries: Float32Array,
  keys: Float32Array,
  dimension: number,
  k: number,
  options: {
    excludeSelf?: boolean
    /** Queries searched so far, after each run of QUERY_CHUNK. */
    onProgress?: (done: number, total: number) => void
  } = {}
): Promise<Neighbours> {
  const q = queries.length / dimension
  const n = keys.length / dimension
  const extra = options.excludeSelf ? 1 : 0
  const kk = Math.max(0, Math.min(k, n - extra))
  const indices = new Int32Array(q * kk)
  const scores = new Float32Array(q * kk)
  if (q === 0 || kk === 0) return { k: kk, indices, scores }
  const fetch = kk + extra
  const session = await ort.InferenceSession.create(topKModel(dimension), { intraOpNumThreads: defaultIntraOpThreads() })
  try {
    const keyTensor = new ort.Tensor('float32', keys, [n, dimension])
    const kTensor = new ort.Tensor('int64', BigInt64Array.of(BigInt(fetch)), [1])
    for (let start = 0; start < q; start += QUERY_CHUNK) {
      const rows = Math.min(QUERY_CHUNK, q - start)
      const chunk = queries.subarray(start * dimension, (start + rows) * dimension)
      const out = await session.run({ queries: new ort.Tensor('float32', chunk, [rows, dimension]), keys: keyTensor, k: kTensor })
      const s = out.scores!.data as Float32Array
      const idx = out.indices!.data as BigInt64Array
      for (let r = 0; r < rows; r++) {
        let written = 0
        for (let j = 0; j < fetch && written < kk; j++) {
          const key = Number(idx[r * fetch + j])
          if (options.excludeSelf && key === start + r) continue
          indices[(start + r) * kk + written] = key
          scores[(start + r) * kk + written] = s[r * fetch + j]!
          written++
        }
      }
      options.onProgress?.(start + rows, q)
    }
  } finally {
    await session.release()
  }
  return { k: kk, indices, scores }
}
