// A trained head on disk: one file with a JSON header and the typed arrays (weights, IDF, neighbour
// vectors) as raw little-endian bytes after it, so megabytes of floats are neither base64'd nor parsed.
// The file's sha256 is recorded in the models table and checked when the head is loaded.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { EngineError } from '../../../shared/errors.ts'
import { storeByContent, writeFileAtomic, type StoredModelFile } from './modelFileStore.ts'

const MAGIC = 'TDHEAD01'
type TypedArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array | Int8Array | Uint16Array | Int16Array
const CTORS = { Float32Array, Float64Array, Int32Array, Uint32Array, Uint8Array, Int8Array, Uint16Array, Int16Array } as const
type CtorName = keyof typeof CTORS

interface ArrayRef {
  readonly __typed: CtorName
  readonly index: number
}

export function encodeHead(value: unknown): Buffer {
  const arrays: TypedArray[] = []
  const header = JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const name = v.constructor.name as CtorName
      if (!(name in CTORS)) throw new Error(`cannot store a ${name}`)
      arrays.push(v as TypedArray)
      return { __typed: name, index: arrays.length - 1 } satisfies ArrayRef
    }
    return v
  })
  const headerBytes = Buffer.from(header, 'utf8')
  // Every array starts on an 8-byte boundary so it can be viewed in place when read.
  const pad = (n: number): number => (8 - (n % 8)) % 8
  const parts: Buffer[] = [Buffer.from(MAGIC), u32(headerBytes.length), headerBytes, Buffer.alloc(pad(12 + headerBytes.length))]
  for (const a of arrays) {
    const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength)
    parts.push(u32(bytes.length), Buffer.alloc(4), bytes, Buffer.alloc(pad(bytes.length)))
  }
  return Buffer.concat(parts)
}

export function decodeHead<T>(file: Buffer, path: string): T {
  if (file.subarray(0, 8).toString() !== MAGIC) throw new EngineError('DB_CORRUPT', `${path} is not a Triage Desk head file.`)
  const headerLen = file.readUInt32LE(8)
  const header = file.subarray(12, 12 + headerLen).toString('utf8')
  let at = 12 + headerLen
  at += (8 - (at % 8)) % 8
  const arrays: ArrayBuffer[] = []
  while (at < file.length) {
    const len = file.readUInt32LE(at)
    at += 8
    // Copied out so the array owns aligned memory independent of the file buffer.
    arrays.push(file.buffer.slice(file.byteOffset + at, file.byteOffset + at + len) as ArrayBuffer)
    at += len + ((8 - (len % 8)) % 8)
  }
  return JSON.parse(header, (_key, v: unknown) => {
    if (v && typeof v === 'object' && '__typed' in v) {
      const ref = v as ArrayRef
      const buf = arrays[ref.index]
      if (!buf || !(ref.__typed in CTORS)) throw new EngineError('DB_CORRUPT', `${path} is truncated or damaged.`)
      return new CTORS[ref.__typed](buf)
    }
    return v
  }) as T
}

/** Writes a head to `path` atomically (a crash never leaves a half-written head where one is expected). */
export function saveHeadFile(path: string, head: unknown): { sha256: string; bytes: number } {
  const bytes = encodeHead(head)
  writeFileAtomic(path, bytes)
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length }
}

/** Writes a head under a name made of its content hash in `dir`, so no other head can ever overwrite it. */
export function storeHeadFile(dir: string, stem: string, head: unknown): StoredModelFile {
  return storeByContent(dir, stem, 'head', encodeHead(head))
}

export function loadHeadFile<T>(path: string, sha256: string): T {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch {
    throw new EngineError('NOT_FOUND', `The model file ${path} is missing; train the model again or restore another version.`, { path })
  }
  const actual = createHash('sha256').update(bytes).digest('hex')
  if (actual !== sha256) {
    throw new EngineError('DB_CORRUPT', `The model file ${path} does not match its checksum (expected ${sha256.slice(0, 12)}…, found ${actual.slice(0, 12)}…); train again.`, { path })
  }
  return decodeHead<T>(bytes, path)
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(n)
  return b
}
