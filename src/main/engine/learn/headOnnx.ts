// The trained linear head as an ONNX graph, so the app runs it with onnxruntime like the embedder.
// TF-IDF rows are sparse (~450 of ~170k features), so the graph takes them as padded (index, value)
// pairs and gathers weight rows instead of multiplying a dense 170k-wide input:
//   logits = Σ_j value[j] · W_sparse[index[j]] + embedding · W_dense + bias;  probabilities = softmax(logits)
// The neighbour vote and temperature stay outside: the vote needs the labelled-vector index.
import * as ort from 'onnxruntime-node'
import { encodeOnnxModel, type GraphNode, type Initializer, type ValueInfo } from '../inference/onnxGraph.ts'
import { buildFeatureRows } from './featureRows.ts'
import type { TrainedHead } from './trainHead.ts'

export function headToOnnx(head: TrainedHead): Uint8Array {
  const { denseDim, sparseDim, weights } = head.linear
  const C = head.classes.length
  // Row `sparseDim` of the sparse table is all zeros: the index that pads short rows.
  const sparseTable = new Float32Array((sparseDim + 1) * C)
  sparseTable.set(weights.subarray(denseDim * C, (denseDim + sparseDim) * C))
  const inputs: ValueInfo[] = [
    { name: 'tfidf_index', type: 'int64', shape: ['batch', 'nnz'] },
    { name: 'tfidf_value', type: 'float', shape: ['batch', 'nnz'] }
  ]
  const initializers: Initializer[] = [
    { name: 'W_sparse', dims: [sparseDim + 1, C], data: sparseTable },
    { name: 'bias', dims: [C], data: weights.slice((denseDim + sparseDim) * C) },
    { name: 'axis2', dims: [1], data: BigInt64Array.of(2n) },
    { name: 'axis1', dims: [1], data: BigInt64Array.of(1n) }
  ]
  const nodes: GraphNode[] = [
    { op: 'Gather', inputs: ['W_sparse', 'tfidf_index'], outputs: ['gathered'], attributes: { axis: 0 } },
    { op: 'Unsqueeze', inputs: ['tfidf_value', 'axis2'], outputs: ['value3'] },
    { op: 'Mul', inputs: ['gathered', 'value3'], outputs: ['weighted'] },
    { op: 'ReduceSum', inputs: ['weighted', 'axis1'], outputs: ['sparse_logits'], attributes: { keepdims: 0 } }
  ]
  if (denseDim > 0) {
    inputs.unshift({ name: 'embedding', type: 'float', shape: ['batch', denseDim] })
    // The embedding scale is folded into the dense weights, so callers pass raw unit vectors.
    const dense = weights.slice(0, denseDim * C).map((w) => w * head.space.embeddingScale)
    initializers.push({ name: 'W_dense', dims: [denseDim, C], data: dense })
    nodes.push(
      { op: 'MatMul', inputs: ['embedding', 'W_dense'], outputs: ['dense_logits'] },
      { op: 'Add', inputs: ['sparse_logits', 'dense_logits'], outputs: ['feature_logits'] }
    )
  }
  nodes.push(
    { op: 'Add', inputs: [denseDim > 0 ? 'feature_logits' : 'sparse_logits', 'bias'], outputs: ['logits'] },
    { op: 'Softmax', inputs: ['logits'], outputs: ['probabilities'], attributes: { axis: -1 } }
  )
  return encodeOnnxModel({
    name: `triage_head_${head.classes.length}_classes`,
    inputs,
    outputs: [
      { name: 'logits', type: 'float', shape: ['batch', C] },
      { name: 'probabilities', type: 'float', shape: ['batch', C] }
    ],
    initializers,
    nodes
  })
}

/** Rows per onnxruntime call; rows are sorted by feature count first, so padding stays small. */
const ROWS_PER_RUN = 64

/**
 * Uncalibrated head probabilities (row-major n × classes) from a session over `headToOnnx`.
 * The graph takes each row's TF-IDF entries padded to the longest row of its run, so rows go in
 * runs of similar length: one 10,000-feature log pasted into a ticket must not pad 2,000 others.
 */
export async function runOnnxHead(session: ort.InferenceSession, head: TrainedHead, texts: string[], embeddings?: Float32Array): Promise<Float32Array> {
  const x = buildFeatureRows({ ...head.space, embeddingScale: 1 }, texts, head.space.embeddingDim > 0 ? embeddings : undefined)
  const C = head.classes.length
  const dim = head.space.embeddingDim
  const nnz = (r: number): number => x.indptr[r + 1]! - x.indptr[r]!
  const order = Array.from({ length: x.rows }, (_, r) => r).sort((a, b) => nnz(a) - nnz(b) || a - b)
  const result = new Float32Array(x.rows * C)
  for (let at = 0; at < order.length; at += ROWS_PER_RUN) {
    const rows = order.slice(at, at + ROWS_PER_RUN)
    const width = Math.max(1, ...rows.map(nnz))
    const index = new BigInt64Array(rows.length * width).fill(BigInt(head.linear.sparseDim))
    const value = new Float32Array(rows.length * width)
    rows.forEach((r, i) => {
      for (let j = x.indptr[r]!, k = 0; j < x.indptr[r + 1]!; j++, k++) {
        index[i * width + k] = BigInt(x.indices[j]!)
        value[i * width + k] = x.values[j]!
      }
    })
    const feeds: Record<string, ort.Tensor> = {
      tfidf_index: new ort.Tensor('int64', index, [rows.length, width]),
      tfidf_value: new ort.Tensor('float32', value, [rows.length, width])
    }
    if (dim > 0) {
      const dense = new Float32Array(rows.length * dim)
      rows.forEach((r, i) => dense.set(x.dense.subarray(r * dim, (r + 1) * dim), i * dim))
      feeds.embedding = new ort.Tensor('float32', dense, [rows.length, dim])
    }
    const out = await session.run(feeds, ['probabilities'])
    const probs = out.probabilities!.data as Float32Array
    rows.forEach((r, i) => result.set(probs.subarray(i * C, (i + 1) * C), r * C))
  }
  return result
}
