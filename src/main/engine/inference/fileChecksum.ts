// sha256 of model files, cached by path + size + mtime: hashing 90 MB on every load costs ~0.3 s,
// while a changed file always changes its size or mtime.
import { createHash } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'

const cache = new Map<string, { size: number; mtimeMs: number; sha256: string }>()

export interface HashOptions {
  /** Called with each chunk's byte count (with the whole size at once on a cache hit): progress for long hashes. */
  readonly onBytes?: ((bytes: number) => void) | undefined
  readonly signal?: AbortSignal | undefined
}

export async function sha256OfFile(path: string, options: HashOptions = {}): Promise<string> {
  const st = statSync(path)
  const hit = cache.get(path)
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) {
    options.onBytes?.(st.size)
    return hit.sha256
  }
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, options.signal ? { signal: options.signal } : {})) {
    hash.update(chunk as Buffer)
    options.onBytes?.((chunk as Buffer).length)
  }
  const sha256 = hash.digest('hex')
  cache.set(path, { size: st.size, mtimeMs: st.mtimeMs, sha256 })
  return sha256
}

export function sha256OfBytes(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex')
}
