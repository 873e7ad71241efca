// Which files and folders a host's pages may name in PATH_METHODS requests. Imports read exactly the files
// the user chose (a native dialog, an upload); model installs read a folder the user chose in a dialog or
// one inside the folders the operator allowed (the data folder, --model-source DIR, TRIAGE_MODELS_DIR).
// Paths are compared after resolving symlinks, so a link inside an allowed folder cannot lead out of it.
import { realpathSync } from 'node:fs'
import { resolve, sep } from 'node:path'
import { PATH_METHODS } from '../../../shared/contract.ts'
import type { EngineErrorShape } from '../../../shared/contract.ts'

export class ChosenPaths {
  private readonly files = new Set<string>()
  private readonly folders: string[] = []

  constructor(folders: readonly string[] = []) {
    for (const folder of folders) this.allowFolder(folder)
  }

  /** A path the user chose in a dialog or uploaded. */
  allowPath(path: string): void {
    this.files.add(canonical(path))
  }

  forget(path: string): void {
    this.files.delete(canonical(path))
  }

  allowFolder(folder: string): void {
    this.folders.push(canonical(folder))
  }

  /** Whether `path` was chosen as such (any method), or, for a model folder, lies in an allowed folder. */
  allows(path: string, method: string): boolean {
    const real = canonical(path)
    if (this.files.has(real)) return true
    if (method !== 'model.install') return false
    return this.folders.some((folder) => real === folder || real.startsWith(folder.endsWith(sep) ? folder : folder + sep))
  }

  /** Null when the request may go on; else the refusal to answer with. */
  refusal(method: string, params: unknown): EngineErrorShape | null {
    if (!PATH_METHODS.has(method)) return null
    const path = typeof params === 'object' && params !== null ? (params as Record<string, unknown>).path : undefined
    if (typeof path === 'string' && path.length > 0 && path.length <= 4096 && this.allows(path, method)) return null
    return method === 'model.install'
      ? { code: 'FILE_NOT_FOUND', message: 'Choose the model folder in the app first; here models install only from the data folder or a folder the app was started with (--model-source).' }
      : { code: 'FILE_NOT_FOUND', message: 'Choose the file in the app first; only files chosen there can be imported.' }
  }
}

/** The real path where it exists (symlinks resolved), else the absolute path as given. */
function canonical(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return resolve(path)
  }
}
