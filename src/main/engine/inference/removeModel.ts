// Where an installed embedding model may be removed: only the engine's own models folder, which the app
// fills (installs, `npm run models`). TRIAGE_MODELS_DIR is often a shared folder and is never written to.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { EngineError } from '../../../shared/errors.ts'
import { modelSearchDirs } from './modelManifest.ts'

/** The folder `<modelsDir>/<name>/` when there is one to remove; NOT_FOUND (naming where it is, if elsewhere) otherwise. */
export function removableFolder(name: string, modelsDir: string): string {
  const folder = join(modelsDir, name)
  if (existsSync(folder) && !isSharedModelsDir(modelsDir)) return folder
  const elsewhere = modelSearchDirs().find((d) => existsSync(join(d, name)))
  throw new EngineError(
    'NOT_FOUND',
    elsewhere
      ? `${name} is in ${elsewhere} (TRIAGE_MODELS_DIR), which the app never changes; remove it there.`
      : `No model called ${name} is installed in ${modelsDir}.`
  )
}

/** Whether `dir` is TRIAGE_MODELS_DIR itself (a data folder pointed at it by hand): never removed from. */
export function isSharedModelsDir(dir: string): boolean {
  const shared = process.env.TRIAGE_MODELS_DIR
  return shared !== undefined && shared !== '' && resolve(shared) === resolve(dir)
}
