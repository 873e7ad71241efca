import { SimilarIndexError } from './similarErrors.ts'
import { createDotKernels, paddedDimension, type DotKernels, type KernelPreference } from './dotKernels.ts'

const PAGE = 65_536
const MIN_CAPACITY = 1024
/** WebAssembly memories (wasm32) address at most 4 GiB; keep clear of the very top. */
const MAX_MEMORY_BYTES = 4 * 1024 ** 3 - PAGE

/**
 * The index's storage: every vector as one row of one contiguous float32 matrix, plus an int8 copy
 * (per-row scale) of the same rows, each in its own WebAssembly memory so the kernels can scan it.
 *
 * Layout of each memory: [query][matrix: capacity rows][scratch: scores (and slots)]. The matrix
 * starts at a fixed offset, so growing the memory never moves stored rows; the scratch behind it
 * is per-query and simply moves with the capacity.
 */
export class VectorMatrix {
  readonly paddedDim: number
  readonly kernels: DotKernels
  private readonly memF32: WebAssembly.Memory
  private readonly memI8: WebAssembly.Memory
  private cap = 0
  /** Float32 view of the float32 memory (re-created after growth: growth detaches old views). */
  f32 = new Float32Array(0)
  /** Int8 view of the int8 memory. */
  i8 = new Int8Array(0)
  /** Per-row int8 scale: row ≈ scale · int8 row. */
  scales = new Float32Array(0)

  constructor(readonly dim: number, kernel: KernelPreference = 'auto') {
    this.paddedDim = paddedDimension(dim)
    this.memF32 = new WebAssembly.Memory({ initial: 1 })
    this.memI8 = new WebAssembly.Memory({ initial: 1 })
    this.kernels = createDotKernels(this.paddedDim, this.memI8, this.memF32, kernel)
    this.ensureCapacity(MIN_CAPACITY)
  }

  get capacity(): number {
    return this.cap
  }

  // Byte offsets. Query regions come first and are multiples of 16 bytes (paddedDim % 16 === 0).
  get queryF32(): number {
    return 0
  }
  get matrixF32(): number {
    return this.paddedDim * 4
  }
  get scoresF32(): number {
    return this.matrixF32 + this.cap * this.paddedDim * 4
  }
  get slotsF32(): number {
    return this.scoresF32 + this.cap * 4
  }
  get queryI16(): number {
    return 0
  }
  get matrixI8(): number {
    return this.paddedDim * 2
  }
  get scoresI8(): number {
    return this.matrixI8 + this.cap * this.paddedDim
  }

  /** Grows to hold at least `rows` rows; amortised ×1.5 so repeated adds stay O(1) each. */
  ensureCapacity(rows: number): void {
    if (rows <= this.cap) return
    const cap = Math.max(rows, Math.ceil(this.cap * 1.5), MIN_CAPACITY)
    const p = this.paddedDim
    // Mirrors the offset getters, for the new capacity (the getters read this.cap, set only on success).
    const bytesF32 = p * 4 + cap * p * 4 + cap * 8
    const bytesI8 = p * 2 + cap * p + cap * 4
    if (bytesF32 > MAX_MEMORY_BYTES) {
      throw new SimilarIndexError(
        'SIMILAR_OUT_OF_MEMORY',
        `${rows} vectors of ${this.dim} dimensions do not fit in one similar-tickets index (at most ${Math.floor(MAX_MEMORY_BYTES / (p * 4 + 8))}).`
      )
    }
    try {
      growTo(this.memF32, bytesF32)
      growTo(this.memI8, bytesI8)
    } catch (err) {
      throw new SimilarIndexError(
        'SIMILAR_OUT_OF_MEMORY',
        `Not enough memory to hold ${rows} ticket vectors for similar tickets (${(err as Error).message}).`
      )
    }
    this.cap = cap
    this.f32 = new Float32Array(this.memF32.buffer)
    this.i8 = new Int8Array(this.memI8.buffer)
    const scales = new Float32Array(this.cap)
    scales.set(this.scales)
    this.scales = scales
  }

  /**
   * Stores src[offset .. offset+dim) · invNorm as row `slot` in float32 and int8. Padding elements
   * stay zero: memory starts zeroed and rows are only ever written or copied whole.
   */
  writeRow(slot: number, src: ArrayLike<number>, offset: number, invNorm: number): void {
    const f32 = this.f32
    const base = (this.matrixF32 >>> 2) + slot * this.paddedDim
    let maxAbs = 0
    for (let j = 0; j < this.dim; j++) {
      const x = Math.fround((src[offset + j] as number) * invNorm)
      f32[base + j] = x
      const a = Math.abs(x)
      if (a > maxAbs) maxAbs = a
    }
    const scale = maxAbs / 127
    const inv = scale > 0 ? 1 / scale : 0
    const i8 = this.i8
    const base8 = this.matrixI8 + slot * this.paddedDim
    for (let j = 0; j < this.dim; j++) i8[base8 + j] = Math.round((f32[base + j] as number) * inv)
    this.scales[slot] = scale
  }

  copyRow(from: number, to: number): void {
    const p = this.paddedDim
    const f0 = this.matrixF32 >>> 2
    this.f32.copyWithin(f0 + to * p, f0 + from * p, f0 + (from + 1) * p)
    const i0 = this.matrixI8
    this.i8.copyWithin(i0 + to * p, i0 + from * p, i0 + (from + 1) * p)
    this.scales[to] = this.scales[from] as number
  }

  /** Writes the normalised query as float32 (exact kernels) and as int8 values widened to int16. */
  setQuery(query: ArrayLike<number>, invNorm: number): void {
    const f32 = this.f32
    let maxAbs = 0
    for (let j = 0; j < this.dim; j++) {
      const x = Math.fround((query[j] as number) * invNorm)
      f32[j] = x
      if (Math.abs(x) > maxAbs) maxAbs = Math.abs(x)
    }
    const q16 = new Int16Array(this.memI8.buffer, this.queryI16, this.paddedDim)
    const inv = maxAbs > 0 ? 127 / maxAbs : 0
    for (let j = 0; j < this.dim; j++) q16[j] = Math.round((f32[j] as number) * inv)
  }

  /** Scratch views (valid until the next growth). */
  int8Scores(rows: number): Int32Array {
    return new Int32Array(this.memI8.buffer, this.scoresI8, rows)
  }
  float32Scores(rows: number): Float32Array {
    return new Float32Array(this.memF32.buffer, this.scoresF32, rows)
  }
  slotScratch(rows: number): Int32Array {
    return new Int32Array(this.memF32.buffer, this.slotsF32, rows)
  }

  /** Row `slot` as stored (normalised float32), copied out. */
  row(slot: number): Float32Array {
    const base = (this.matrixF32 >>> 2) + slot * this.paddedDim
    return this.f32.slice(base, base + this.dim)
  }
}

function growTo(memory: WebAssembly.Memory, bytes: number): void {
  const pages = Math.ceil(bytes / PAGE)
  const have = memory.buffer.byteLength / PAGE
  if (pages > have) memory.grow(pages - have)
}
