// Model manifests: the facts about an embedder that the code must not guess (inputs, output, pooling,
// dimension, max tokens) and the sha256 of every file, so a swapped or truncated download is caught.
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { jsonErrorWithoutContent } from './modelFolderSafety.ts'

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lower-case hex digits')

export const modelFileSchema = z.object({
  role: z.enum(['model', 'tokenizer', 'tokenizerConfig']),
  // A plain file name inside the model folder: no traversal out of it.
  path: z.string().regex(/^[A-Za-z0-9._-]+$/, 'path must be a plain file name'),
  bytes: z.number().int().positive(),
  sha256: sha256Hex,
  url: z.string().url().optional(),
  urlNote: z.string().optional()
})

export const modelManifestSchema = z
  .object({
    schemaVersion: z.literal(1),
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
    displayName: z.string(),
    licence: z.string().min(1),
    default: z.boolean().default(false),
    files: z.array(modelFileSchema).min(1),
    inputs: z.array(z.enum(['input_ids', 'attention_mask', 'token_type_ids'])).min(1),
    output: z.string().min(1),
    pooling: z.enum(['pooled', 'mean']),
    dimension: z.number().int().positive(),
    maxTokens: z.number().int().min(2),
    /** Why maxTokens is what it is, when it differs from the model's own configuration. */
    maxTokensNote: z.string().optional(),
    /**
     * Put before every text: E5-style encoders were trained with "query: " / "passage: " and embed worse
     * without it (their model cards say to use "query: " for similarity and classification).
     */
    textPrefix: z.string().max(100).optional(),
    /** fp32 models: quantise MatMul weights to int8 at load when running on CPU (onnxQuantize.ts). */
    cpuInt8: z.boolean().default(false),
    cpuInt8Note: z.string().optional(),
    source: z.string()
  })
  .refine((m) => m.files.some((f) => f.role === 'model'), 'a manifest needs a file with role "model"')
  .refine((m) => m.files.some((f) => f.role === 'tokenizer'), 'a manifest needs a file with role "tokenizer"')
  .refine((m) => m.inputs.includes('input_ids'), 'inputs must include input_ids')

export type ModelManifest = z.infer<typeof modelManifestSchema>
export type ModelFile = z.infer<typeof modelFileSchema>

export class ManifestError extends Error {
  readonly code = 'MODEL_MANIFEST_INVALID'
}

/** The repository's `models/` folder, which holds the manifests of known models (never weights). */
export const manifestsDir = fileURLToPath(new URL('../../../../models/', import.meta.url))

export function parseManifest(json: unknown, origin: string): ModelManifest {
  const parsed = modelManifestSchema.safeParse(json)
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
    throw new ManifestError(`model manifest ${origin} is invalid: ${why}`)
  }
  return parsed.data
}

export function readManifest(path: string): ModelManifest {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new ManifestError(`model manifest ${path} cannot be read: ${err instanceof SyntaxError ? jsonErrorWithoutContent(err) : (err as Error).message}`)
  }
  return parseManifest(json, path)
}

let committed: readonly ModelManifest[] | undefined

/**
 * The committed manifests: models we know and can download. They ship with the app and do not change
 * while it runs, so they are read once: model.status, installs and every lookup by name ask for them.
 */
export function knownManifests(): readonly ModelManifest[] {
  committed ??= existsSync(manifestsDir)
    ? readdirSync(manifestsDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => readManifest(join(manifestsDir, f)))
    : []
  return committed
}

/**
 * A model we did not know, installed from a folder (describeModelFolder.ts), carries its manifest in its
 * own folder under this name: written from the files at install, so its checksums guard against later
 * damage as a committed manifest's do.
 */
export const LOCAL_MANIFEST_FILE = 'manifest.json'

/**
 * Manifests of installed models we did not know, from `<dir>/<name>/manifest.json` in the search folders.
 * A committed name wins over a local one, and an unreadable local manifest is passed over: a damaged
 * folder must not stop the models that work.
 */
export function localManifests(modelsDir?: string): ModelManifest[] {
  const taken = new Set(knownManifests().map((m) => m.name))
  const found: ModelManifest[] = []
  for (const base of modelSearchDirs(modelsDir)) {
    if (!existsSync(base)) continue
    for (const entry of readdirSync(base).sort()) {
      const path = join(base, entry, LOCAL_MANIFEST_FILE)
      if (taken.has(entry) || !existsSync(path)) continue
      try {
        const manifest = readManifest(path)
        if (manifest.name !== entry) continue
        found.push(manifest)
        taken.add(entry)
      } catch {
        // Listed by name only if it parses; loading it by name reports what is wrong.
      }
    }
  }
  return found
}

/** Every manifest the engine can use: the committed ones, then those of models installed from a folder. */
export function availableManifests(modelsDir?: string): ModelManifest[] {
  return [...knownManifests(), ...localManifests(modelsDir)]
}

export function manifestByName(name: string, modelsDir?: string): ModelManifest {
  if (/^[a-z0-9][a-z0-9._-]*$/.test(name)) {
    const known = knownManifests().find((m) => m.name === name)
    if (known) return known
    for (const base of modelSearchDirs(modelsDir)) {
      const local = join(base, name, LOCAL_MANIFEST_FILE)
      if (existsSync(local)) return readManifest(local)
    }
  }
  const known = availableManifests(modelsDir).map((m) => m.name)
  throw new ManifestError(`unknown embedder "${name}" (known: ${known.join(', ') || 'none'})`)
}

/**
 * Folders searched for a model's weights, in order: TRIAGE_MODELS_DIR (tests, CI, air-gapped installs),
 * then the data folder's models dir the caller passes in.
 */
export function modelSearchDirs(modelsDir?: string): string[] {
  const dirs: string[] = []
  const env = process.env.TRIAGE_MODELS_DIR
  if (env) dirs.push(env)
  if (modelsDir) dirs.push(modelsDir)
  return dirs
}

/** The first folder `<dir>/<name>/` that holds every file the manifest lists, or undefined. */
export function resolveModelDir(manifest: ModelManifest, modelsDir?: string): string | undefined {
  for (const base of modelSearchDirs(modelsDir)) {
    const dir = join(base, manifest.name)
    if (manifest.files.every((f) => existsSync(join(dir, f.path)))) return dir
  }
  return undefined
}

export function fileOfRole(manifest: ModelManifest, role: ModelFile['role']): ModelFile | undefined {
  return manifest.files.find((f) => f.role === role)
}
