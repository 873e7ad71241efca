// `npm run models [NAME…]`: downloads a model's files from the manifest's pinned URLs into the data folder
// (`<data dir>/models/<name>/`), resuming a partial download, showing progress, and keeping a file only
// when its sha256 matches the manifest. With no name, the default model.
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { defaultDataDir } from '../dataDir.ts'
import { knownManifests, manifestByName, type ModelFile, type ModelManifest } from './modelManifest.ts'

export class DownloadError extends Error {}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(path), hash)
  return hash.digest('hex')
}

export async function downloadFile(file: ModelFile, dir: string, onProgress: (done: number, total: number) => void): Promise<'present' | 'downloaded'> {
  const target = join(dir, file.path)
  if (existsSync(target) && (await sha256Of(target)) === file.sha256) return 'present'
  if (!file.url) throw new DownloadError(`${file.path}: the manifest has no download URL; copy the model folder by hand`)
  const part = `${target}.part`
  const have = existsSync(part) ? statSync(part).size : 0
  const response = await fetch(file.url, have > 0 ? { headers: { Range: `bytes=${have}-` } } : {}).catch((err: unknown) => {
    throw new DownloadError(`${file.path}: cannot reach ${new URL(file.url!).host} (${(err as Error).message}); on an offline machine, copy the model folder into <data dir>/models/<name>/ or point TRIAGE_MODELS_DIR at a folder of models`)
  })
  if (!response.ok || !response.body) throw new DownloadError(`${file.path}: ${file.url} answered ${response.status} ${response.statusText}`)
  // A server that ignores Range sends the whole file again: start over rather than append it.
  const resumed = response.status === 206
  let done = resumed ? have : 0
  const out = createWriteStream(part, { flags: resumed ? 'a' : 'w' })
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>)
  body.on('data', (chunk: Buffer) => {
    done += chunk.length
    onProgress(done, file.bytes)
  })
  await pipeline(body, out)
  const actual = await sha256Of(part)
  if (actual !== file.sha256) {
    rmSync(part, { force: true })
    throw new DownloadError(`${file.path}: sha256 ${actual} does not match the manifest's ${file.sha256}; the file was discarded`)
  }
  renameSync(part, target)
  return 'downloaded'
}

export async function downloadModel(manifest: ModelManifest, modelsDir: string, log: (line: string) => void): Promise<void> {
  const dir = join(modelsDir, manifest.name)
  mkdirSync(dir, { recursive: true })
  for (const file of manifest.files) {
    let last = 0
    const result = await downloadFile(file, dir, (done, total) => {
      if (Date.now() - last < 500) return
      last = Date.now()
      log(`${manifest.name}/${file.path}: ${(done / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB (${Math.min(100, Math.round((done / total) * 100))}%)`)
    })
    log(`${manifest.name}/${file.path}: ${result === 'present' ? 'already present, checksum ok' : 'downloaded, checksum ok'}`)
  }
}

async function main(names: string[]): Promise<number> {
  const modelsDir = join(defaultDataDir(), 'models')
  const manifests = names.length > 0 ? names.map((n) => manifestByName(n)) : knownManifests().filter((m) => m.default)
  try {
    for (const m of manifests) await downloadModel(m, modelsDir, (line) => process.stderr.write(`${line}\n`))
    console.log(`Models are in ${modelsDir}`)
    return 0
  } catch (err) {
    process.stderr.write(`models: ${(err as Error).message}\n`)
    return 1
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2))
