import { CodeWriter, encodeModule, I32, op, simd, V128 } from './wasmEncoding.ts'

/**
 * Dot products of one query against many rows, over matrices that live in WebAssembly memories.
 *
 * Why WebAssembly: a scalar JavaScript loop does one multiply-add per element whatever the element
 * type, so an int8 copy only saves memory traffic, not work (~40 ms for 100k × 384 here). WASM SIMD
 * does 8–16 per instruction, which is what makes the int8 pre-scan worth having. The JS kernels below
 * compute bit-identical results and are used where SIMD is unavailable (or forced, in tests).
 *
 * Float32 dot products use one fixed summation order — four 4-lane accumulators taking chunks of 4
 * in turn, combined as (a0+a1)+(a2+a3), lanes as (l0+l1)+(l2+l3) — so a full scan and a re-rank
 * of chosen rows give the same score for the same row, and ties break the same way in both modes.
 */

export type KernelKind = 'wasm-simd' | 'js'
export type KernelPreference = 'auto' | KernelKind

export interface DotKernels {
  readonly kind: KernelKind
  /** Int32 out[r] = Σ_j q16[j]·m8[r][j]; q16 is int16 at byte `q`, rows are int8 with stride paddedDim. */
  scanI8(q: number, mat: number, rows: number, out: number): void
  /** Float32 out[r] = q·m[r]; rows float32 with stride paddedDim·4 bytes. All arguments are byte offsets. */
  scanF32(q: number, mat: number, rows: number, out: number): void
  /** Float32 out[i] = q·m[slots[i]] for `count` int32 slot numbers at byte `slots`. */
  gatherF32(q: number, mat: number, slots: number, count: number, out: number): void
}

/** Rows are padded to a multiple of 16 elements so the unrolled SIMD body needs no tail. */
export function paddedDimension(dim: number): number {
  return Math.ceil(dim / 16) * 16
}

function int8ScanModule(paddedDim: number): Uint8Array<ArrayBuffer> {
  const [q, mat, rows, out, end, acc0, acc1, v] = [0, 1, 2, 3, 4, 5, 6, 7]
  const w = new CodeWriter()
  w.get(out).get(rows).i32(4).emit(op.i32Mul, op.i32Add).set(end)
  w.emit(op.block, 0x40, op.loop, 0x40)
  w.get(out).get(end).emit(op.i32GeU, op.brIf, 1)
  w.v128Zero().set(acc0).v128Zero().set(acc1)
  for (let c = 0; c < paddedDim / 16; c++) {
    const acc = c % 2 === 0 ? acc0 : acc1
    w.get(mat).v128Load(16 * c).set(v)
    w.get(acc)
    w.get(v).simd(simd.i16x8ExtendLowI8x16S).get(q).v128Load(32 * c).simd(simd.i32x4DotI16x8S)
    w.simd(simd.i32x4Add)
    w.get(v).simd(simd.i16x8ExtendHighI8x16S).get(q).v128Load(32 * c + 16).simd(simd.i32x4DotI16x8S)
    w.simd(simd.i32x4Add).set(acc)
  }
  w.get(out)
  w.get(acc0).get(acc1).simd(simd.i32x4Add).set(acc0)
  w.get(acc0).simd(simd.i32x4ExtractLane, 0).get(acc0).simd(simd.i32x4ExtractLane, 1).emit(op.i32Add)
  w.get(acc0).simd(simd.i32x4ExtractLane, 2).emit(op.i32Add)
  w.get(acc0).simd(simd.i32x4ExtractLane, 3).emit(op.i32Add)
  w.emit(op.i32Store, 2, 0)
  w.get(mat).i32(paddedDim).emit(op.i32Add).set(mat)
  w.get(out).i32(4).emit(op.i32Add).set(out)
  w.emit(op.br, 0, op.end, op.end)
  return encodeModule([{ exportName: 'scanI8', params: [I32, I32, I32, I32], locals: [[1, I32], [3, V128]], body: w }])
}

/** Leaves q·row (float32) on the stack, in the fixed summation order described above. */
function emitDotF32(w: CodeWriter, paddedDim: number, row: number, q: number, acc: readonly number[]): void {
  for (const a of acc) w.v128Zero().set(a)
  for (let c = 0; c < paddedDim / 4; c++) {
    const a = acc[c % 4] as number
    w.get(a).get(row).v128Load(16 * c).get(q).v128Load(16 * c).simd(simd.f32x4Mul).simd(simd.f32x4Add).set(a)
  }
  const [a0, a1, a2, a3] = acc as [number, number, number, number]
  w.get(a0).get(a1).simd(simd.f32x4Add).get(a2).get(a3).simd(simd.f32x4Add).simd(simd.f32x4Add).set(a0)
  w.get(a0).simd(simd.f32x4ExtractLane, 0).get(a0).simd(simd.f32x4ExtractLane, 1).emit(op.f32Add)
  w.get(a0).simd(simd.f32x4ExtractLane, 2).get(a0).simd(simd.f32x4ExtractLane, 3).emit(op.f32Add)
  w.emit(op.f32Add)
}

function float32Module(paddedDim: number): Uint8Array<ArrayBuffer> {
  const stride = paddedDim * 4
  const scan = new CodeWriter()
  {
    const [q, mat, rows, out, end] = [0, 1, 2, 3, 4]
    const acc = [5, 6, 7, 8]
    scan.get(out).get(rows).i32(4).emit(op.i32Mul, op.i32Add).set(end)
    scan.emit(op.block, 0x40, op.loop, 0x40)
    scan.get(out).get(end).emit(op.i32GeU, op.brIf, 1)
    scan.get(out)
    emitDotF32(scan, paddedDim, mat, q, acc)
    scan.emit(op.f32Store, 2, 0)
    scan.get(mat).i32(stride).emit(op.i32Add).set(mat)
    scan.get(out).i32(4).emit(op.i32Add).set(out)
    scan.emit(op.br, 0, op.end, op.end)
  }
  const gather = new CodeWriter()
  {
    const [q, mat, slots, count, out, end, row] = [0, 1, 2, 3, 4, 5, 6]
    const acc = [7, 8, 9, 10]
    gather.get(out).get(count).i32(4).emit(op.i32Mul, op.i32Add).set(end)
    gather.emit(op.block, 0x40, op.loop, 0x40)
    gather.get(out).get(end).emit(op.i32GeU, op.brIf, 1)
    gather.get(slots).emit(op.i32Load, 2, 0).i32(stride).emit(op.i32Mul).get(mat).emit(op.i32Add).set(row)
    gather.get(out)
    emitDotF32(gather, paddedDim, row, q, acc)
    gather.emit(op.f32Store, 2, 0)
    gather.get(slots).i32(4).emit(op.i32Add).set(slots)
    gather.get(out).i32(4).emit(op.i32Add).set(out)
    gather.emit(op.br, 0, op.end, op.end)
  }
  return encodeModule([
    { exportName: 'scanF32', params: [I32, I32, I32, I32], locals: [[1, I32], [4, V128]], body: scan },
    { exportName: 'gatherF32', params: [I32, I32, I32, I32, I32], locals: [[2, I32], [4, V128]], body: gather }
  ])
}

type ScanFn = (q: number, mat: number, rows: number, out: number) => void
type GatherFn = (q: number, mat: number, slots: number, count: number, out: number) => void

function instantiate(bytes: Uint8Array<ArrayBuffer>, memory: WebAssembly.Memory): WebAssembly.Exports {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports
}

function wasmKernels(paddedDim: number, memI8: WebAssembly.Memory, memF32: WebAssembly.Memory): DotKernels | null {
  const i8Bytes = int8ScanModule(paddedDim)
  const f32Bytes = float32Module(paddedDim)
  if (!WebAssembly.validate(i8Bytes) || !WebAssembly.validate(f32Bytes)) return null
  const i8 = instantiate(i8Bytes, memI8)
  const f32 = instantiate(f32Bytes, memF32)
  return {
    kind: 'wasm-simd',
    scanI8: i8.scanI8 as ScanFn,
    scanF32: f32.scanF32 as ScanFn,
    gatherF32: f32.gatherF32 as GatherFn
  }
}

/** Same results as the WASM kernels, bit for bit (Math.fround after every float32 operation). */
function jsKernels(paddedDim: number, memI8: WebAssembly.Memory, memF32: WebAssembly.Memory): DotKernels {
  const fr = Math.fround
  const dotF32 = (f: Float32Array, qi: number, ri: number): number => {
    const acc = new Float32Array(16)
    for (let c = 0; c < paddedDim / 4; c++) {
      const a = (c % 4) * 4
      const base = 4 * c
      for (let l = 0; l < 4; l++) {
        const i = a + l
        acc[i] = fr((acc[i] as number) + fr((f[ri + base + l] as number) * (f[qi + base + l] as number)))
      }
    }
    const lane = (l: number): number =>
      fr(fr((acc[l] as number) + (acc[4 + l] as number)) + fr((acc[8 + l] as number) + (acc[12 + l] as number)))
    return fr(fr(lane(0) + lane(1)) + fr(lane(2) + lane(3)))
  }
  return {
    kind: 'js',
    scanI8(q, mat, rows, out) {
      const m = new Int8Array(memI8.buffer)
      const qv = new Int16Array(memI8.buffer, q, paddedDim)
      const o = new Int32Array(memI8.buffer, out, rows)
      for (let r = 0, base = mat; r < rows; r++, base += paddedDim) {
        let s = 0
        for (let j = 0; j < paddedDim; j++) s += (qv[j] as number) * (m[base + j] as number)
        o[r] = s
      }
    },
    scanF32(q, mat, rows, out) {
      const f = new Float32Array(memF32.buffer)
      const o = new Float32Array(memF32.buffer, out, rows)
      for (let r = 0; r < rows; r++) o[r] = dotF32(f, q >>> 2, (mat >>> 2) + r * paddedDim)
    },
    gatherF32(q, mat, slots, count, out) {
      const f = new Float32Array(memF32.buffer)
      const s = new Int32Array(memF32.buffer, slots, count)
      const o = new Float32Array(memF32.buffer, out, count)
      for (let i = 0; i < count; i++) o[i] = dotF32(f, q >>> 2, (mat >>> 2) + (s[i] as number) * paddedDim)
    }
  }
}

export function createDotKernels(
  paddedDim: number,
  memI8: WebAssembly.Memory,
  memF32: WebAssembly.Memory,
  preference: KernelPreference = 'auto'
): DotKernels {
  if (preference === 'js') return jsKernels(paddedDim, memI8, memF32)
  const wasm = wasmKernels(paddedDim, memI8, memF32)
  if (wasm) return wasm
  if (preference === 'wasm-simd') throw new Error('WebAssembly SIMD is not available in this runtime')
  return jsKernels(paddedDim, memI8, memF32)
}
