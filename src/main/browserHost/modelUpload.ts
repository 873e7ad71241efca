// A model folder from the user's browser: the page cannot hand the engine a folder path, so the files a
// sentence encoder needs (chosen with a folder picker, `webkitdirectory`) are uploaded one by one into
// uploads/models/<upload id>/<folder name>/ under the data folder, and that folder is then installed like
// any other. Only the files an install reads are taken (not a 400 MB safetensors beside the ONNX file),
// each under a checked relative path, so an upload can never write outside its own folder.
import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { dirname, join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { isModelFile } from '../../shared/modelFiles.ts'
import { UploadTooLarge } from './csvUpload.ts'

/** The largest encoders a desktop runs are a few hundred MB. */
export const MAX_MODEL_FILE_BYTES = 2 * 1024 ** 3
const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const SEGMENT = /^[\p{L}\p{N}][\p{L}\p{N}._ -]{0,99}$/u

export class BadModelUpload extends Error {}

export class ModelUploads {
  /** Upload id → the folder the files go to (its last segment is the user's folder name). */
  private readonly folders = new Map<string, string>()

  constructor(private readonly root: string) {}

  /** Starts an upload of a folder named `folderName`; the files follow with the returned id. */
  async begin(folderName: string): Promise<{ id: string; path: string }> {
    if (!SEGMENT.test(folderName)) throw new BadModelUpload(`"${folderName.slice(0, 100)}" is not a usable folder name`)
    const id = randomUUID()
    const path = join(this.root, id, folderName)
    await mkdir(path, { recursive: true, mode: 0o700 })
    this.folders.set(id, path)
    return { id, path }
  }

  async receive(req: IncomingMessage, id: string, relativePath: string): Promise<{ bytes: number }> {
    const folder = UPLOAD_ID.test(id) ? this.folders.get(id) : undefined
    if (!folder) throw new BadModelUpload('unknown upload; start the folder upload again')
    const parts = relativePath.split('/')
    if (!parts.every((p) => SEGMENT.test(p)) || !isModelFile(relativePath)) {
      throw new BadModelUpload(`${relativePath.slice(0, 200)} is not a file a model install reads`)
    }
    const path = join(folder, ...parts)
    await mkdir(dirname(path), { recursive: true, mode: 0o700 })
    let bytes = 0
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length
        if (bytes > MAX_MODEL_FILE_BYTES) callback(new UploadTooLarge(`a model file may be at most ${MAX_MODEL_FILE_BYTES} bytes`))
        else callback(null, chunk)
      }
    })
    await pipeline(req, limit, createWriteStream(path, { flags: 'wx', mode: 0o600 }))
    return { bytes }
  }

  /** The upload's folder when `path` is one (for removal once its install ends). */
  uploadOf(path: string): string | undefined {
    for (const [id, folder] of this.folders) if (folder === path) return id
    return undefined
  }

  async remove(id: string): Promise<void> {
    if (!this.folders.delete(id)) return
    await rm(join(this.root, id), { recursive: true, force: true })
  }
}
