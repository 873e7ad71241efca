// A minimal hand-written ONNX (protobuf) encoder: enough to build small graphs (MatMul/Gemm, TopK,
// Softmax) that onnxruntime runs with its optimised kernels, without a protobuf dependency.
// Field numbers follow onnx/onnx.proto (IR version 8).

/** A protobuf base-128 varint (negative numbers as their 64-bit two's complement, as protobuf does). */
export function varintBytes(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value))
  const out: number[] = []
  do {
    let byte = Number(v & 0x7fn)
    v >>= 7n
    if (v > 0n) byte |= 0x80
    out.push(byte)
  } while (v > 0n)
  return Uint8Array.from(out)
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

export class ProtoWriter {
  private readonly parts: Uint8Array[] = []

  private raw(bytes: Uint8Array): this {
    this.parts.push(bytes)
    return this
  }

  varint(field: number, value: number | bigint): this {
    return this.raw(varintBytes(field << 3)).raw(varintBytes(value))
  }

  bytes(field: number, data: Uint8Array): this {
    return this.raw(varintBytes((field << 3) | 2))
      .raw(varintBytes(data.length))
      .raw(data)
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s))
  }

  message(field: number, w: ProtoWriter): this {
    return this.bytes(field, w.finish())
  }

  float(field: number, value: number): this {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setFloat32(0, value, true)
    return this.raw(varintBytes((field << 3) | 5)).raw(b)
  }

  finish(): Uint8Array {
    return concatBytes(this.parts)
  }
}

export const ElemType = { float: 1, int64: 7 } as const
type Elem = keyof typeof ElemType

export interface ValueInfo {
  name: string
  type: Elem
  /** A number is a fixed size, a string a symbolic (dynamic) one such as "batch". */
  shape: Array<number | string>
}

export interface Initializer {
  name: string
  dims: number[]
  data: Float32Array | BigInt64Array
}

export interface GraphNode {
  op: string
  inputs: string[]
  outputs: string[]
  attributes?: Record<string, number | { float: number }>
}

export interface GraphSpec {
  name: string
  inputs: ValueInfo[]
  outputs: ValueInfo[]
  initializers?: Initializer[]
  nodes: GraphNode[]
  opset?: number
}

function valueInfo(v: ValueInfo): ProtoWriter {
  const shape = new ProtoWriter()
  for (const d of v.shape) shape.message(1, typeof d === 'number' ? new ProtoWriter().varint(1, d) : new ProtoWriter().string(2, d))
  const tensor = new ProtoWriter().varint(1, ElemType[v.type]).message(2, shape)
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensor))
}

function tensor(t: Initializer): ProtoWriter {
  const w = new ProtoWriter()
  for (const d of t.dims) w.varint(1, d)
  w.varint(2, t.data instanceof Float32Array ? ElemType.float : ElemType.int64)
  w.string(8, t.name)
  // raw_data is little-endian, which is what typed arrays hold on every platform we ship to.
  w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength))
  return w
}

function node(n: GraphNode, index: number): ProtoWriter {
  const w = new ProtoWriter()
  for (const i of n.inputs) w.string(1, i)
  for (const o of n.outputs) w.string(2, o)
  w.string(3, `${n.op}_${index}`).string(4, n.op)
  for (const [name, value] of Object.entries(n.attributes ?? {})) {
    const a = new ProtoWriter().string(1, name)
    if (typeof value === 'number') a.varint(3, value).varint(20, 2)
    else a.float(2, value.float).varint(20, 1)
    w.message(5, a)
  }
  return w
}

/** Serialise a graph as an ONNX ModelProto that `InferenceSession.create(bytes)` accepts. */
export function encodeOnnxModel(spec: GraphSpec): Uint8Array {
  const graph = new ProtoWriter()
  spec.nodes.forEach((n, i) => graph.message(1, node(n, i)))
  graph.string(2, spec.name)
  for (const t of spec.initializers ?? []) graph.message(5, tensor(t))
  for (const v of spec.inputs) graph.message(11, valueInfo(v))
  for (const v of spec.outputs) graph.message(12, valueInfo(v))
  return new ProtoWriter()
    .varint(1, 8)
    .string(2, 'triage-desk')
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').varint(2, spec.opset ?? 17))
    .finish()
}
