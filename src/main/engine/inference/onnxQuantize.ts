// Dynamic int8 weights for fp32 models on CPU, done at load time on the bytes of the ONNX file:
// every MatMul whose right-hand side is a constant 2-D float matrix becomes onnxruntime's
// com.microsoft DynamicQuantizeMatMul with that matrix as 7-bit int8 (see WEIGHT_LEVELS), one symmetric
// scale per output column; activations are quantised per call by onnxruntime. On use-lite-en this runs
// ~2.8x faster than fp32 on one core (it-service tickets, batches of 16) with pooled vectors at mean
// cosine 0.998 to fp32 (min 0.996 over 1000 tickets). Whether that holds on the CPU at hand is checked
// at load (int8Check.ts). Everything else in the file is copied byte for byte, so the rewrite needs no
// protobuf library: only ModelProto.graph, GraphProto.node/initializer and NodeProto are read.
// Field numbers follow onnx/onnx.proto. New fields are written with onnxGraph's ProtoWriter.
import { concatBytes, ProtoWriter } from './onnxGraph.ts'

interface Field {
  readonly field: number
  readonly wire: number
  /** The whole field, key included. */
  readonly start: number
  readonly end: number
  /** The payload of a length-delimited field. */
  readonly valueStart: number
  readonly valueEnd: number
  readonly value: bigint
}

export class OnnxQuantizeError extends Error {}

function readVarint(b: Uint8Array, at: number): [bigint, number] {
  let value = 0n
  let shift = 0n
  for (;;) {
    if (at >= b.length) throw new OnnxQuantizeError('truncated varint')
    const byte = b[at++]!
    value |= BigInt(byte & 0x7f) << shift
    if (!(byte & 0x80)) return [value, at]
    shift += 7n
  }
}

function fields(b: Uint8Array, from = 0, to = b.length): Field[] {
  const out: Field[] = []
  let at = from
  while (at < to) {
    const start = at
    const [key, afterKey] = readVarint(b, at)
    at = afterKey
    const field = Number(key >> 3n)
    const wire = Number(key & 7n)
    let valueStart = at
    let value = 0n
    if (wire === 0) [value, at] = readVarint(b, at)
    else if (wire === 2) {
      const [length, afterLength] = readVarint(b, at)
      valueStart = afterLength
      at = afterLength + Number(length)
    } else if (wire === 5) at += 4
    else if (wire === 1) at += 8
    else throw new OnnxQuantizeError(`unsupported protobuf wire type ${wire}`)
    if (at > to) throw new OnnxQuantizeError('a field runs past the end of its message')
    out.push({ field, wire, start, end: at, valueStart, valueEnd: at, value })
  }
  return out
}

const FLOAT = 1
const INT8 = 3

/** A graph initializer field (GraphProto.initializer) holding `raw` little-endian data. */
function initializerField(name: string, dims: readonly number[], dataType: number, raw: Uint8Array): Uint8Array {
  const t = new ProtoWriter()
  for (const d of dims) t.varint(1, d)
  t.varint(2, dataType).string(8, name).bytes(9, raw)
  return new ProtoWriter().message(5, t).finish()
}

export interface FloatMatrix {
  readonly rows: number
  readonly cols: number
  readonly data: Float32Array
}

/** A 2-D float initializer (raw_data or float_data), else null. */
function floatMatrix(b: Uint8Array, f: Field): { name: string; matrix: FloatMatrix | null } {
  const dims: number[] = []
  let dataType = 0
  let name = ''
  let payload: Uint8Array | null = null
  for (const t of fields(b, f.valueStart, f.valueEnd)) {
    if (t.field === 1 && t.wire === 0) dims.push(Number(t.value))
    else if (t.field === 1 && t.wire === 2) {
      for (let at = t.valueStart; at < t.valueEnd; ) {
        const [v, next] = readVarint(b, at)
        dims.push(Number(v))
        at = next
      }
    } else if (t.field === 2) dataType = Number(t.value)
    else if (t.field === 8) name = new TextDecoder().decode(b.subarray(t.valueStart, t.valueEnd))
    // A copy (new Uint8Array(view) copies; Buffer#slice would not): the floats must start 4-aligned.
    else if ((t.field === 9 || (t.field === 4 && t.wire === 2)) && t.valueEnd > t.valueStart) payload = new Uint8Array(b.subarray(t.valueStart, t.valueEnd))
  }
  const ok = dataType === FLOAT && dims.length === 2 && payload !== null && payload.length === dims[0]! * dims[1]! * 4
  return { name, matrix: ok ? { rows: dims[0]!, cols: dims[1]!, data: new Float32Array(payload!.buffer, payload!.byteOffset, payload!.length / 4) } : null }
}

interface NodeInfo {
  readonly field: Field
  readonly inputs: string[]
  readonly outputs: string[]
  readonly op: string
  readonly domain: string
}

function nodeInfo(b: Uint8Array, f: Field): NodeInfo {
  const text = (x: Field): string => new TextDecoder().decode(b.subarray(x.valueStart, x.valueEnd))
  const nf = fields(b, f.valueStart, f.valueEnd)
  const op = nf.find((x) => x.field === 4)
  const domain = nf.find((x) => x.field === 7)
  return {
    field: f,
    inputs: nf.filter((x) => x.field === 1).map(text),
    outputs: nf.filter((x) => x.field === 2).map(text),
    op: op ? text(op) : '',
    domain: domain ? text(domain) : ''
  }
}

/**
 * Weights use [-63, 63], not [-127, 127]. onnxruntime multiplies uint8 activations by int8 weights; on x86
 * without VNNI (AVX2, AVX-512 without VNNI) its kernel uses vpmaddubsw, which adds two u8×s8 products into
 * a saturating int16: 2 · 255 · 127 = 64770 overflows 32767, and on such a CPU (an AVX2 AMD EPYC) the
 * vectors came out at cosine 0.29 to fp32. With 7 bits, 2 · 255 · 63 = 32130 fits on every CPU, and the
 * kernels stay the fast u8s8 ones. This is onnxruntime's own `reduce_range`. Measured on use-lite-en
 * (1000 it-service tickets): mean cosine to fp32 0.9991 at 8 bits, 0.9982 at 7; uint8 weights with zero
 * point 128 (exact on AVX2 too) kept 0.9991 but ran at half the speed (u8u8 kernels: ~300 against ~600
 * texts/s on one core).
 */
export const WEIGHT_LEVELS = 63

/** Per-column symmetric int8: q = round(w / s), s = max|w[:, c]| / WEIGHT_LEVELS. */
export function quantizeColumns(m: FloatMatrix): { q: Int8Array; scale: Float32Array } {
  const q = new Int8Array(m.rows * m.cols)
  const scale = new Float32Array(m.cols)
  for (let c = 0; c < m.cols; c++) {
    let max = 0
    for (let k = 0; k < m.rows; k++) max = Math.max(max, Math.abs(m.data[k * m.cols + c]!))
    const s = max > 0 ? max / WEIGHT_LEVELS : 1
    scale[c] = s
    for (let k = 0; k < m.rows; k++) q[k * m.cols + c] = Math.round(m.data[k * m.cols + c]! / s)
  }
  return { q, scale }
}

export interface QuantizedModel {
  readonly bytes: Uint8Array
  /** How many MatMuls now run on int8 weights (0: the model is returned unchanged). */
  readonly replaced: number
}

export function quantizeMatMulWeights(model: Uint8Array): QuantizedModel {
  const top = fields(model)
  const graphField = top.find((f) => f.field === 7 && f.wire === 2)
  if (!graphField) throw new OnnxQuantizeError('not an ONNX model: no graph')
  const graph = fields(model, graphField.valueStart, graphField.valueEnd)
  const initializers = new Map<string, { field: Field; matrix: FloatMatrix | null }>()
  for (const f of graph.filter((x) => x.field === 5)) {
    const { name, matrix } = floatMatrix(model, f)
    initializers.set(name, { field: f, matrix })
  }
  const nodes = graph.filter((x) => x.field === 1).map((f) => nodeInfo(model, f))
  const uses = new Map<string, number>()
  for (const n of nodes) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1)

  const nodeBytes: Uint8Array[] = []
  const added: Uint8Array[] = []
  const dropped = new Set<Field>()
  let replaced = 0
  nodes.forEach((n, index) => {
    const weight = n.op === 'MatMul' && n.domain === '' && n.inputs.length === 2 ? initializers.get(n.inputs[1]!) : undefined
    if (!weight?.matrix) {
      nodeBytes.push(model.subarray(n.field.start, n.field.end))
      return
    }
    const { q, scale } = quantizeColumns(weight.matrix)
    const base = `${n.inputs[1]!}__int8_${index}`
    added.push(initializerField(`${base}_w`, [weight.matrix.rows, weight.matrix.cols], INT8, new Uint8Array(q.buffer)))
    added.push(initializerField(`${base}_scale`, [weight.matrix.cols], FLOAT, new Uint8Array(scale.buffer)))
    added.push(initializerField(`${base}_zero`, [weight.matrix.cols], INT8, new Uint8Array(weight.matrix.cols)))
    const node = new ProtoWriter()
    for (const input of [n.inputs[0]!, `${base}_w`, `${base}_scale`, `${base}_zero`]) node.string(1, input)
    for (const output of n.outputs) node.string(2, output)
    node.string(3, `DynamicQuantizeMatMul_${index}`).string(4, 'DynamicQuantizeMatMul').string(7, 'com.microsoft')
    nodeBytes.push(new ProtoWriter().message(1, node).finish())
    // The float matrix goes when nothing else reads it (graph outputs never name initializers here).
    if (uses.get(n.inputs[1]!) === 1) dropped.add(weight.field)
    replaced++
  })
  if (replaced === 0) return { bytes: model, replaced }

  const graphParts: Uint8Array[] = [...nodeBytes]
  for (const f of graph) if (f.field !== 1 && !dropped.has(f)) graphParts.push(model.subarray(f.start, f.end))
  graphParts.push(...added)
  const parts: Uint8Array[] = []
  for (const f of top) parts.push(f === graphField ? new ProtoWriter().bytes(7, concatBytes(graphParts)).finish() : model.subarray(f.start, f.end))
  // The contrib operator set, for DynamicQuantizeMatMul.
  if (!top.some((f) => f.field === 8 && new TextDecoder().decode(model.subarray(f.valueStart, f.valueEnd)).includes('com.microsoft'))) {
    parts.push(new ProtoWriter().message(8, new ProtoWriter().string(1, 'com.microsoft').varint(2, 1)).finish())
  }
  return { bytes: concatBytes(parts), replaced }
}
