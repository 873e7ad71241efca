// Installs a sentence-embedding model from a folder on disk (a USB stick, a shared drive) into the app's
// data folder, for machines with no internet. The folder is matched against the committed manifests,
// every file is checked by size and sha256, the model is test-run, and only then copied into place, so a
// half-copied or wrong folder never replaces a working model.
import { existsSync, statSync } from 'node:fs'
import { cp, mkdir, rename, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { EngineError } from '../../../shared/errors.ts'
import { loadEmbedder, verifyFiles } from './embedder.ts'
import { knownManifests, type ModelManifest } from './modelManifest.ts'

export interface InstalledFolder {
  readonly manifest: ModelManifest
  readonly folder: string
  readonly bytes: number
}

/** The manifest whose files are all in `dir`, and match; throws MODEL_INVALID saying why when none does. */
async function matchingManifest(dir: string): Promise<ModelManifest> {
  const problems: string[] = []
  for (const manifest of knownManifests()) {
    if (!manifest.files.every((f) => existsSync(join(dir, f.path)))) continue
    try {
      await verifyFiles(manifest, dir)
      return manifest
    } catch (err) {
      problems.push(`${manifest.name}: ${(err as Error).message}`)
    }
  }
  if (problems.length) throw new EngineError('MODEL_INVALID', `The folder has the files of a known model, but they do not match: ${problems.join('; ')}`)
  const expected = knownManifests().map((m) => `${m.name} (${m.files.map((f) => f.path).join(', ')})`)
  throw new EngineError('MODEL_INVALID', `${dir} holds none of the known models. Expected the files of one of: ${expected.join('; ')}.`)
}

export async function installModelFolder(source: string, modelsDir: string): Promise<InstalledFolder> {
  const dir = resolve(source)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new EngineError('FILE_NOT_FOUND', `There is no folder at ${dir}.`)
  const manifest = await matchingManifest(dir)
  // A test run before copying: a file can match its checksum and still not run here (a CPU without
  // the instructions an export needs, say).
  try {
    const probe = await loadEmbedder(manifest, { dir, provider: 'cpu' })
    await probe.close()
  } catch (err) {
    throw new EngineError('MODEL_INVALID', `${manifest.name} in ${dir} does not run: ${(err as Error).message}`)
  }
  const target = join(modelsDir, manifest.name)
  if (resolve(target) === dir) return { manifest, folder: target, bytes: folderBytes(manifest, dir) }
  // Copy next to the target, then swap: an interrupted copy leaves the old model (or nothing) in place.
  await mkdir(modelsDir, { recursive: true })
  const partial = `${target}.partial-${process.pid}`
  await rm(partial, { recursive: true, force: true })
  try {
    await mkdir(partial)
    for (const f of manifest.files) await cp(join(dir, f.path), join(partial, f.path))
    await verifyFiles(manifest, partial)
    await rm(target, { recursive: true, force: true })
    await rename(partial, target)
  } catch (err) {
    await rm(partial, { recursive: true, force: true })
    throw err instanceof EngineError ? err : new EngineError('MODEL_INVALID', `Could not copy ${manifest.name} into ${modelsDir}: ${(err as Error).message}`)
  }
  return { manifest, folder: target, bytes: folderBytes(manifest, target) }
}

function folderBytes(manifest: ModelManifest, dir: string): number {
  return manifest.files.reduce((sum, f) => sum + statSync(join(dir, f.path)).size, 0)
}
