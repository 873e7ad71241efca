/**
 * The few pieces of the WebAssembly binary format the dot-product kernels need. Writing the bytes
 * here (rather than shipping a .wasm file or a toolchain) keeps the kernels specialised to the
 * index's dimension at run time: the inner loop over a row is fully unrolled with constant offsets.
 * Spec: https://webassembly.github.io/spec/core/binary/ and the fixed-width SIMD proposal.
 */

export const I32 = 0x7f
export const F32 = 0x7d
export const V128 = 0x7b

/** Opcodes used by the kernels (core MVP and the 0xFD-prefixed SIMD set). */
export const op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  i32Load: 0x28,
  i32Store: 0x36,
  f32Store: 0x38,
  i32Const: 0x41,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  f32Add: 0x92,
  simdPrefix: 0xfd
} as const

export const simd = {
  v128Load: 0x00,
  v128Const: 0x0c,
  i32x4ExtractLane: 0x1b,
  f32x4ExtractLane: 0x1f,
  i16x8ExtendLowI8x16S: 0x87,
  i16x8ExtendHighI8x16S: 0x88,
  i32x4Add: 0xae,
  i32x4DotI16x8S: 0xba,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6
} as const

export function uleb(value: number): number[] {
  const out: number[] = []
  let v = value >>> 0
  do {
    let byte = v & 0x7f
    v >>>= 7
    if (v !== 0) byte |= 0x80
    out.push(byte)
  } while (v !== 0)
  return out
}

export function sleb(value: number): number[] {
  const out: number[] = []
  let v = value | 0
  for (;;) {
    const byte = v & 0x7f
    v >>= 7
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)
    out.push(done ? byte : byte | 0x80)
    if (done) return out
  }
}

function name(s: string): number[] {
  const bytes = [...Buffer.from(s, 'utf8')]
  return [...uleb(bytes.length), ...bytes]
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()]
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body]
}

/** Emits instructions into a function body. */
export class CodeWriter {
  readonly bytes: number[] = []

  emit(...b: number[]): this {
    this.bytes.push(...b)
    return this
  }
  get(local: number): this {
    return this.emit(op.localGet, ...uleb(local))
  }
  set(local: number): this {
    return this.emit(op.localSet, ...uleb(local))
  }
  i32(value: number): this {
    return this.emit(op.i32Const, ...sleb(value))
  }
  simd(opcode: number, ...immediates: number[]): this {
    return this.emit(op.simdPrefix, ...uleb(opcode), ...immediates)
  }
  /** v128.load with a constant byte offset from the address on the stack. */
  v128Load(offset: number): this {
    return this.simd(simd.v128Load, 4, ...uleb(offset))
  }
  v128Zero(): this {
    return this.simd(simd.v128Const, ...new Array<number>(16).fill(0))
  }
}

export interface FunctionDef {
  exportName: string
  params: number[]
  /** Extra locals after the params, as [count, type] runs. */
  locals: [number, number][]
  body: CodeWriter
}

/** A module importing one memory as env.memory and exporting void functions. */
export function encodeModule(functions: FunctionDef[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((p) => [p])), 0])
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, 0x00]
  const exports = functions.map((f, i) => [...name(f.exportName), 0x00, ...uleb(i)])
  const bodies = functions.map((f) => {
    const body = [...vec(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.body.bytes, op.end]
    return [...uleb(body.length), ...body]
  })
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec([memoryImport])),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies))
  ])
}
