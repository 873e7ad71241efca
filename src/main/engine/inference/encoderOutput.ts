// A sentence encoder's side of a batch: the input tensors made from padded token ids, and the output made
// into one L2-normalised vector per text. Shared by the embedder, the install probe and the int8 check,
// so all three see a model exactly as the app runs it.
import * as ort from 'onnxruntime-node'
import type { PaddedBatch } from './textTokenizer.ts'

/** A padded batch as a sentence encoder's inputs; `token_type_ids` (all zeros, one segment) only for graphs that take it. */
export function encoderFeeds(batch: PaddedBatch, withTokenTypes: boolean): Record<string, ort.Tensor> {
  const dims = [batch.rows, batch.length]
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', batch.inputIds, dims),
    attention_mask: new ort.Tensor('int64', batch.attentionMask, dims)
  }
  if (withTokenTypes) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(batch.rows * batch.length), dims)
  return feeds
}

/** Pool (if needed), L2-normalise and scatter one batch's output rows to their original positions. */
export function writeRows(output: ort.Tensor, batch: PaddedBatch, pooling: 'pooled' | 'mean', dim: number, result: Float32Array): void {
  const data = output.data as Float32Array
  const seq = pooling === 'mean' ? (output.dims[1] ?? batch.length) : 1
  const row = new Float64Array(dim)
  for (let r = 0; r < batch.rows; r++) {
    row.fill(0)
    if (pooling === 'pooled') {
      for (let k = 0; k < dim; k++) row[k] = data[r * dim + k] ?? 0
    } else {
      // Mean over real tokens only; the mean's divisor cancels in the L2 step, so a sum suffices.
      for (let c = 0; c < seq; c++) {
        if (batch.attentionMask[r * batch.length + c] === 0n) continue
        const base = (r * seq + c) * dim
        for (let k = 0; k < dim; k++) row[k]! += data[base + k] ?? 0
      }
    }
    let norm = 0
    for (let k = 0; k < dim; k++) norm += row[k]! * row[k]!
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0
    const target = (batch.order[r] ?? 0) * dim
    for (let k = 0; k < dim; k++) result[target + k] = row[k]! * scale
  }
}

/** Row by row, the cosine of two sets of L2-normalised vectors (row-major, `dim` wide): their dot product. */
export function rowCosines(a: Float32Array, b: Float32Array, dim: number): Float64Array {
  const rows = Math.min(a.length, b.length) / dim
  const out = new Float64Array(rows)
  for (let r = 0; r < rows; r++) {
    let dot = 0
    for (let k = 0; k < dim; k++) dot += a[r * dim + k]! * b[r * dim + k]!
    out[r] = dot
  }
  return out
}
