// Where trained model files (heads and their ONNX graphs) go on disk. Files are named by their content's
// sha256: several databases may share one folder (`heads/` beside them), and a name derived from the
// target and version alone let one database's training overwrite another's head. Content-addressed names
// cannot collide: identical bytes share one file safely, and a different head never lands on a name in use.
// Every write is atomic (temp file, fsync, rename) and private to the user (mode 0600).
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { sha256OfBytes } from '../inference/fileChecksum.ts'

export interface StoredModelFile {
  readonly path: string
  readonly sha256: string
  readonly bytes: number
}

/** A readable file-name stem for a label target (any characters are allowed in a target's name). */
export function fileStem(target: string): string {
  return target.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'target'
}

/**
 * Writes `bytes` as `<dir>/<stem>-<sha256>.<ext>`. When that file already holds exactly these bytes (the
 * same head trained twice, or in two databases), it is kept as it is; otherwise it is (re)written atomically.
 */
export function storeByContent(dir: string, stem: string, ext: string, bytes: Uint8Array): StoredModelFile {
  const sha256 = sha256OfBytes(bytes)
  const path = join(dir, `${stem}-${sha256}.${ext}`)
  if (!holdsBytes(path, sha256)) writeFileAtomic(path, bytes)
  return { path, sha256, bytes: bytes.length }
}

/**
 * Replaces `path` with `bytes` so that a reader sees the old file or the whole new one, never a part:
 * a uniquely named temp file (two processes may write at once) is written, flushed to disk, then renamed.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const dir = dirname(path)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const fd = openSync(tmp, 'wx', 0o600)
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, path)
  } catch (err) {
    rmSync(tmp, { force: true })
    throw err
  }
  syncDirectory(dir)
}

function holdsBytes(path: string, sha256: string): boolean {
  if (!existsSync(path)) return false
  try {
    return sha256OfBytes(readFileSync(path)) === sha256
  } catch {
    return false
  }
}

/** Makes the rename itself durable. Directories cannot be opened for fsync on Windows; there it is skipped. */
function syncDirectory(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // Not supported on this platform or file system: the rename is still atomic, only less durable.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
