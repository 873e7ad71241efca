// Installs a sentence-embedding model from a folder on disk (a USB stick, a shared drive) into the app's
// data folder, for machines with no internet. A folder holding a model we ship a manifest for is checked
// against it (size and sha256 of every file); any other sentence-encoder folder gets a manifest written
// from its files (describeModelFolder.ts). Either way the files are copied next to the target, checked
// again, test-run, and only then swapped in, so a half-copied or wrong folder never replaces a working model.
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { join, resolve } from 'node:path'
import { EngineError } from '../../../shared/errors.ts'
import { describeModelFolder, modelFileIn, type FolderFile } from './describeModelFolder.ts'
import { loadEmbedder, verifyFiles } from './embedder.ts'
import { int8Verdict } from './int8Check.ts'
import { sha256OfFile, type HashOptions } from './fileChecksum.ts'
import { LOCAL_MANIFEST_FILE, knownManifests, type ModelManifest } from './modelManifest.ts'
import { isSharedModelsDir } from './removeModel.ts'
import { assertNoLinksOut } from './modelFolderSafety.ts'

export interface InstalledFolder {
  readonly manifest: ModelManifest
  readonly folder: string
  readonly bytes: number
  /** Whether a committed manifest vouches for the files, or the manifest was written from them. */
  readonly known: boolean
}

interface Plan {
  readonly manifest: ModelManifest
  readonly files: readonly FolderFile[]
  readonly known: boolean
}

/**
 * A model is one we ship a manifest for when its ONNX file has that manifest's sha256: then every other
 * file must match too (a damaged tokenizer beside a good model is refused, not installed as "new").
 */
async function knownModelIn(dir: string, hashing: HashOptions): Promise<Plan | undefined> {
  let modelPath: string
  try {
    modelPath = modelFileIn(dir)
  } catch {
    return undefined
  }
  // Sizes first: only a file as long as a known model is worth hashing.
  const size = statSync(modelPath).size
  const candidates = knownManifests().filter((m) => m.files.some((f) => f.role === 'model' && f.bytes === size))
  if (candidates.length === 0) return undefined
  const sha = await sha256OfFile(modelPath, hashing)
  const manifest = candidates.find((m) => m.files.some((f) => f.role === 'model' && f.sha256 === sha))
  if (!manifest) return undefined
  if (modelPath !== join(dir, manifest.files.find((f) => f.role === 'model')!.path)) {
    throw new EngineError('MODEL_INVALID', `${modelPath} is ${manifest.name}; put its files side by side, as the manifest lists them (${manifest.files.map((f) => f.path).join(', ')}).`)
  }
  try {
    await verifyFiles({ ...manifest, files: manifest.files.filter((f) => f.role !== 'model') }, dir, hashing)
  } catch (err) {
    throw new EngineError('MODEL_INVALID', `The folder holds ${manifest.name}, but its files do not match: ${(err as Error).message}`)
  }
  return { manifest, known: true, files: manifest.files.map((entry) => ({ from: join(dir, entry.path), entry })) }
}

async function planFor(dir: string, options: InstallOptions, hashing: HashOptions): Promise<Plan> {
  const known = await knownModelIn(dir, hashing)
  if (known) return known
  try {
    return { ...(await describeModelFolder(dir, options.name, options.prefix, hashing)), known: false }
  } catch (err) {
    if (!(err instanceof EngineError)) throw err
    const expected = knownManifests().map((m) => m.name)
    throw new EngineError('MODEL_INVALID', `${err.message} (It is not one of the models the app knows either: ${expected.join(', ')}.)`)
  }
}

export type InstallStage = 'verify' | 'copy' | 'test'

export interface InstallOptions {
  /** For a model we have no manifest for: the name to install it under (default: the folder's). */
  readonly name?: string | undefined
  /** For such a model: text put before every input (default: read from its model card). */
  readonly prefix?: string | undefined
  readonly signal?: AbortSignal | undefined
  /** Percent of the work: hashing the source, copying and hashing the copy, then the test run. */
  readonly onProgress?: ((stage: InstallStage, percent: number) => void) | undefined
}

/** Bytes of what an install reads three times (hash, copy, hash the copy): the model and tokenizer files. */
function sourceBytes(dir: string): number {
  let model: string | undefined
  try {
    model = modelFileIn(dir)
  } catch {
    return 0
  }
  return [model, join(dir, 'tokenizer.json'), join(dir, 'tokenizer_config.json')].filter((f) => existsSync(f)).reduce((sum, f) => sum + statSync(f).size, 0)
}

/** Progress over the three passes; the test run is the last 5 %. */
function progressFor(dir: string, options: InstallOptions): { hashing(stage: InstallStage): HashOptions; test(): void } {
  const total = Math.max(1, 3 * sourceBytes(dir))
  let done = 0
  let shown = ''
  const report = (stage: InstallStage, percent: number): void => {
    if (`${stage} ${percent}` === shown) return
    shown = `${stage} ${percent}`
    options.onProgress?.(stage, percent)
  }
  return {
    hashing: (stage) => ({
      signal: options.signal,
      onBytes: (n) => {
        done += n
        report(stage, Math.min(95, Math.floor((done / total) * 950) / 10))
      }
    }),
    test: () => report('test', 95)
  }
}

/** Copies one file as a stream, counting bytes and stopping on abort. */
async function copyFile(from: string, to: string, hashing: HashOptions): Promise<void> {
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hashing.onBytes?.(chunk.length)
      done(null, chunk)
    }
  })
  await pipeline(createReadStream(from), count, createWriteStream(to), hashing.signal ? { signal: hashing.signal } : {})
}

export async function installModelFolder(source: string, modelsDir: string, options: InstallOptions = {}): Promise<InstalledFolder> {
  const dir = resolve(source)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new EngineError('FILE_NOT_FOUND', `There is no folder at ${dir}.`)
  assertNoLinksOut(dir)
  const progress = progressFor(dir, options)
  const plan = await cancellable(options.signal, 'nothing was changed', () => planFor(dir, options, progress.hashing('verify')))
  let { manifest } = plan
  const target = join(modelsDir, manifest.name)
  const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0)
  if (resolve(target) === dir) {
    progress.test()
    await testRun(manifest, dir)
    return { manifest, folder: target, bytes, known: plan.known }
  }
  if (isSharedModelsDir(modelsDir)) {
    throw new EngineError('BAD_REQUEST', `The engine's models folder ${modelsDir} is TRIAGE_MODELS_DIR, which the app never writes to; start it with another --models folder.`)
  }
  // Copy next to the target, check the copy, test-run it, then swap: an interrupted, cancelled or failed
  // install leaves the old model (or nothing) in place.
  await mkdir(modelsDir, { recursive: true })
  const partial = `${target}.partial-${process.pid}`
  await rm(partial, { recursive: true, force: true })
  try {
    await mkdir(partial)
    const copying = progress.hashing('copy')
    for (const f of plan.files) await copyFile(f.from, join(partial, f.entry.path), copying)
    await verifyFiles(manifest, partial, copying)
    options.signal?.throwIfAborted()
    progress.test()
    await testRun(manifest, partial)
    if (!plan.known) {
      // A model we have not seen runs on int8 weights only where that was checked on it.
      const verdict = await int8Verdict(manifest, partial)
      manifest = { ...manifest, cpuInt8: verdict.cpuInt8, cpuInt8Note: verdict.note }
      // The manifest goes in last: a folder without it is never listed as a model.
      await writeFile(join(partial, LOCAL_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`)
    }
    options.signal?.throwIfAborted()
    await rm(target, { recursive: true, force: true })
    await rename(partial, target)
  } catch (err) {
    await rm(partial, { recursive: true, force: true })
    if (options.signal?.aborted) throw cancelled(manifest.name, 'the installed models are as they were')
    throw err instanceof EngineError ? err : new EngineError('MODEL_INVALID', `Could not install ${manifest.name} into ${modelsDir}: ${(err as Error).message}`)
  }
  return { manifest, folder: target, bytes, known: plan.known }
}

function cancelled(what: string, outcome: string): EngineError {
  return new EngineError('BAD_REQUEST', `Installing ${what} was cancelled; ${outcome}.`)
}

async function cancellable<T>(signal: AbortSignal | undefined, outcome: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (signal?.aborted) throw cancelled('the model', outcome)
    throw err
  }
}

/**
 * Loads and runs the model on CPU through the same loader the app uses: a file can match its checksum
 * and still not run here (a CPU without the instructions an export needs, say). Its files were just
 * checked, so they are not hashed a second time.
 */
async function testRun(manifest: ModelManifest, dir: string): Promise<void> {
  try {
    const probe = await loadEmbedder(manifest, { dir, provider: 'cpu', filesVerified: true })
    await probe.close()
  } catch (err) {
    throw new EngineError('MODEL_INVALID', `${manifest.name} in ${dir} does not run: ${(err as Error).message}`)
  }
}

/** What the user reads after an install: what was installed and, for a model we did not know, what was read from it. */
export function installMessage(installed: InstalledFolder, inUse: boolean): string {
  const { name, dimension, pooling, maxTokens, textPrefix, cpuInt8 } = installed.manifest
  const what = installed.known
    ? `Installed ${name}`
    : `Installed ${name}, a model the app has no manifest for: ${dimension}-d vectors from ${pooling === 'mean' ? 'the mean of its token states' : 'its own pooled output'}, at most ${maxTokens} tokens${textPrefix ? `, each text prefixed with "${textPrefix}"` : ''}, as read from its files${cpuInt8 ? '; on CPU it runs on int8 weights, checked against fp32 at install' : ''}`
  return inUse
    ? `${what}; similar tickets are being re-indexed with it, and the next training can use it.`
    : `${what}; choose it as the Embedder to use it for similar tickets, or as the featuriser when training.`
}
