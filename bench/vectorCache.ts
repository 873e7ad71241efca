// The default embedder's vectors for a bench's tickets, computed once and kept under
// os.tmpdir()/triage-bench-train/ (keyed by model and texts): in the app they are already in the
// embeddings table when Train or Update is pressed, so no bench times them.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadEmbedderPool } from '../src/main/engine/inference/embedderPool.ts'

export async function cachedVectors(embedder: string, texts: string[], log: (s: string) => void): Promise<{ vectors: Float32Array; dim: number }> {
  const key = createHash('sha256').update(embedder).update('\0').update(texts.join('\0')).digest('hex').slice(0, 24)
  const dir = join(tmpdir(), 'triage-bench-train')
  const file = join(dir, `${embedder}-${key}.f32`)
  if (existsSync(file)) {
    const buf = readFileSync(file)
    const vectors = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4).slice()
    return { vectors, dim: vectors.length / texts.length }
  }
  log(`embedding ${texts.length} tickets with ${embedder} (cached in ${dir} for later runs)`)
  const pool = await loadEmbedderPool(embedder)
  try {
    const vectors = await pool.embed(texts)
    mkdirSync(dir, { recursive: true })
    writeFileSync(`${file}.tmp`, new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength))
    renameSync(`${file}.tmp`, file)
    return { vectors, dim: pool.dimension }
  } finally {
    await pool.close()
  }
}
