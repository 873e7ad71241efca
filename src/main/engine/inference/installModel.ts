// Installs a sentence-embedding model from a folder on disk (a USB stick, a shared drive) into the app's
// data folder, for machines with no internet. A folder holding a model we ship a manifest for is checked
// against it (size and sha256 of every file); any other sentence-encoder folder gets a manifest written
// from its files (describeModelFolder.ts). Either way the files are copied next to the target, checked
// again, test-run, and only then swapped in, so a half-copied or wrong folder never replaces a working model.
import { existsSync, statSync } from 'node:fs'
import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { EngineError } from '../../../shared/errors.ts'
import { describeModelFolder, modelFileIn, type FolderFile } from './describeModelFolder.ts'
import { loadEmbedder, verifyFiles } from './embedder.ts'
import { sha256OfFile } from './fileChecksum.ts'
import { LOCAL_MANIFEST_FILE, knownManifests, type ModelManifest } from './modelManifest.ts'
import { isSharedModelsDir } from './removeModel.ts'

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
async function knownModelIn(dir: string): Promise<Plan | undefined> {
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
  const sha = await sha256OfFile(modelPath)
  const manifest = candidates.find((m) => m.files.some((f) => f.role === 'model' && f.sha256 === sha))
  if (!manifest) return undefined
  if (modelPath !== join(dir, manifest.files.find((f) => f.role === 'model')!.path)) {
    throw new EngineError('MODEL_INVALID', `${modelPath} is ${manifest.name}; put its files side by side, as the manifest lists them (${manifest.files.map((f) => f.path).join(', ')}).`)
  }
  try {
    await verifyFiles({ ...manifest, files: manifest.files.filter((f) => f.role !== 'model') }, dir)
  } catch (err) {
    throw new EngineError('MODEL_INVALID', `The folder holds ${manifest.name}, but its files do not match: ${(err as Error).message}`)
  }
  return { manifest, known: true, files: manifest.files.map((entry) => ({ from: join(dir, entry.path), entry })) }
}

async function planFor(dir: string, name?: string, prefix?: string): Promise<Plan> {
  const known = await knownModelIn(dir)
  if (known) return known
  try {
    return { ...(await describeModelFolder(dir, name, prefix)), known: false }
  } catch (err) {
    if (!(err instanceof EngineError)) throw err
    const expected = knownManifests().map((m) => m.name)
    throw new EngineError('MODEL_INVALID', `${err.message} (It is not one of the models the app knows either: ${expected.join(', ')}.)`)
  }
}

export async function installModelFolder(source: string, modelsDir: string, name?: string, prefix?: string): Promise<InstalledFolder> {
  const dir = resolve(source)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new EngineError('FILE_NOT_FOUND', `There is no folder at ${dir}.`)
  const plan = await planFor(dir, name, prefix)
  const { manifest } = plan
  const target = join(modelsDir, manifest.name)
  const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0)
  if (resolve(target) === dir) {
    await testRun(manifest, dir)
    return { manifest, folder: target, bytes, known: plan.known }
  }
  if (isSharedModelsDir(modelsDir)) {
    throw new EngineError('BAD_REQUEST', `The engine's models folder ${modelsDir} is TRIAGE_MODELS_DIR, which the app never writes to; start it with another --models folder.`)
  }
  // Copy next to the target, check the copy, test-run it, then swap: an interrupted or failed install
  // leaves the old model (or nothing) in place.
  await mkdir(modelsDir, { recursive: true })
  const partial = `${target}.partial-${process.pid}`
  await rm(partial, { recursive: true, force: true })
  try {
    await mkdir(partial)
    for (const f of plan.files) await cp(f.from, join(partial, f.entry.path), { dereference: true })
    await verifyFiles(manifest, partial)
    // The manifest goes in last: a folder without it is never listed as a model.
    if (!plan.known) await writeFile(join(partial, LOCAL_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`)
    await testRun(manifest, partial)
    await rm(target, { recursive: true, force: true })
    await rename(partial, target)
  } catch (err) {
    await rm(partial, { recursive: true, force: true })
    throw err instanceof EngineError ? err : new EngineError('MODEL_INVALID', `Could not install ${manifest.name} into ${modelsDir}: ${(err as Error).message}`)
  }
  return { manifest, folder: target, bytes, known: plan.known }
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
  const { name, dimension, pooling, maxTokens, textPrefix } = installed.manifest
  const what = installed.known
    ? `Installed ${name}`
    : `Installed ${name}, a model the app has no manifest for: ${dimension}-d vectors from ${pooling === 'mean' ? 'the mean of its token states' : 'its own pooled output'}, at most ${maxTokens} tokens${textPrefix ? `, each text prefixed with "${textPrefix}"` : ''}, as read from its files`
  return inUse
    ? `${what}; similar tickets are being re-indexed with it, and the next training can use it.`
    : `${what}; choose it as the Embedder to use it for similar tickets, or as the featuriser when training.`
}
