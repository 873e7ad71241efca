// The browser cannot hand the engine a file path, so `pickCsvFile(file)` uploads the bytes here: they
// stream into a fresh folder under the data dir, and the server-side path comes back for import.preview
// and import.start. Only paths issued here may be imported through the bridge (see socketBridge).
import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { basename, dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'

/** Helpdesk exports are large but not unbounded; this keeps a runaway upload from filling the disk. */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3

export class UploadTooLarge extends Error {}

export class CsvUploads {
  private readonly issued = new Set<string>()

  constructor(private readonly uploadsDir: string) {}

  async receive(req: IncomingMessage, fileName: string): Promise<{ path: string; bytes: number }> {
    const dir = join(this.uploadsDir, randomUUID())
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const path = join(dir, safeFileName(fileName))
    let bytes = 0
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length
        if (bytes > MAX_UPLOAD_BYTES) callback(new UploadTooLarge(`upload exceeds ${MAX_UPLOAD_BYTES} bytes`))
        else callback(null, chunk)
      }
    })
    try {
      await pipeline(req, limit, createWriteStream(path, { flags: 'wx', mode: 0o600 }))
    } catch (err) {
      await rm(dir, { recursive: true, force: true })
      throw err
    }
    this.issued.add(path)
    return { path, bytes }
  }

  isIssued(path: string): boolean {
    return this.issued.has(path)
  }

  /** The copy is the user's data: once its import has ended (done, failed or cancelled) it goes. */
  async remove(path: string): Promise<void> {
    if (!this.issued.delete(path)) return
    await rm(dirname(path), { recursive: true, force: true })
  }
}

/** Keeps the user's file name readable (the engine records it) but strips anything path-like. */
export function safeFileName(name: string): string {
  const base = basename(name.replaceAll('\\', '/'))
    .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
    .replace(/^\.+/, '')
    .slice(0, 200)
  return base.length > 0 ? base : 'upload.csv'
}
