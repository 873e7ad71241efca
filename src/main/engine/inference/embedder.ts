// Sentence embedders: an ONNX encoder + tokenizer described by a manifest, producing L2-normalised
// vectors. Load failures are typed so callers can fall back to the built-in TF-IDF featuriser.
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { sha256OfFile, type HashOptions } from './fileChecksum.ts'
import { createSession, type CreatedSession, type ProviderChoice } from './executionProviders.ts'
import { chooseInt8Session } from './int8Check.ts'
import {
  availableManifests,
  fileOfRole,
  manifestByName,
  modelSearchDirs,
  resolveModelDir,
  type ModelManifest
} from './modelManifest.ts'
import { encoderFeeds, writeRows } from './encoderOutput.ts'
import { TextTokenizer, padBatch, planBatches, type PaddedBatch } from './textTokenizer.ts'

export interface Embedder {
  name: string
  dimension: number
  provider: string
  providerNotes: string[]
  /**
   * Row-major n × dimension, each row L2-normalised. `signal` stops it between batches (an AbortError):
   * one onnxruntime run cannot be interrupted, so a closing worker waits for at most one batch.
   */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array>
  close(): Promise<void>
}

export type EmbedderErrorCode =
  | 'MODEL_NOT_INSTALLED'
  | 'MODEL_CHECKSUM_MISMATCH'
  | 'MODEL_BROKEN'
  | 'MODEL_SHAPE_MISMATCH'

export class EmbedderLoadError extends Error {
  constructor(
    readonly code: EmbedderErrorCode,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }
}

export interface LoadEmbedderOptions {
  modelsDir?: string
  /** Load from exactly this folder instead of searching TRIAGE_MODELS_DIR and modelsDir. */
  dir?: string
  /** false runs a `cpuInt8` model in fp32 anyway (exact, batch-independent vectors; 2–3x slower on CPU). */
  cpuInt8?: boolean
  provider?: ProviderChoice
  /** The caller has just checked sizes and sha256 of these files (an install): do not hash them again. */
  filesVerified?: boolean
  batchSize?: number
  intraOpNumThreads?: number
}

/**
 * Texts per `session.run`. On CPU small batches win: a 1-thread session ran use-lite-en at 246 texts/s
 * with batches of 16 against 220/s with 64 (less padding, activations stay in cache; 4–8 were no
 * better than 16). A GPU wants larger batches to fill the device.
 */
export const CPU_BATCH_SIZE = 16
export const EMBED_BATCH_SIZE = 64

export function batchSizeFor(provider: string): number {
  return provider === 'cpu' ? CPU_BATCH_SIZE : EMBED_BATCH_SIZE
}
export const EMBED_WINDOW = 2048

/**
 * The model's session on the best provider; on CPU, a manifest marked `cpuInt8` runs with its MatMul
 * weights quantised to int8 in memory (the file on disk, and its checksum, stay as shipped), once probe
 * tickets have shown on this CPU that its int8 vectors match the fp32 ones (int8Check.ts); else fp32,
 * with a note saying why.
 */
export async function createEmbedderSession(
  manifest: ModelManifest,
  modelFile: string,
  provider: ProviderChoice,
  threads?: number,
  cpuInt8 = manifest.cpuInt8
): Promise<CreatedSession> {
  const created = await createSession(modelFile, provider, threads)
  if (created.provider !== 'cpu' || !cpuInt8) return created
  return (await chooseInt8Session(manifest, modelFile, created, threads, 'at load on this CPU')).created
}

/** Sizes then sha256 of every file the manifest lists; the first mismatch throws, naming the file. */
export async function verifyFiles(manifest: ModelManifest, dir: string, hashing: HashOptions = {}): Promise<void> {
  for (const file of manifest.files) {
    const path = join(dir, file.path)
    const size = statSync(path).size
    if (size !== file.bytes) {
      throw new EmbedderLoadError(
        'MODEL_CHECKSUM_MISMATCH',
        `${path}: ${size} bytes, the manifest of ${manifest.name} expects ${file.bytes} (incomplete or wrong file)`
      )
    }
    const sha = await sha256OfFile(path, hashing)
    if (sha !== file.sha256) {
      throw new EmbedderLoadError(
        'MODEL_CHECKSUM_MISMATCH',
        `${path}: sha256 ${sha}, the manifest of ${manifest.name} expects ${file.sha256}`
      )
    }
  }
}

function readJson(path: string): object {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as object
  } catch (err) {
    throw new EmbedderLoadError('MODEL_BROKEN', `${path}: not valid JSON (${(err as Error).message})`)
  }
}

export async function loadEmbedder(
  manifestOrName: ModelManifest | string,
  options: LoadEmbedderOptions = {}
): Promise<Embedder> {
  const manifest = typeof manifestOrName === 'string' ? manifestByName(manifestOrName, options.modelsDir) : manifestOrName
  const dir = options.dir ?? resolveModelDir(manifest, options.modelsDir)
  if (!dir) {
    const searched = modelSearchDirs(options.modelsDir).map((d) => join(d, manifest.name))
    throw new EmbedderLoadError(
      'MODEL_NOT_INSTALLED',
      `embedder ${manifest.name} is not installed (looked in: ${searched.join(', ') || 'no folder: set TRIAGE_MODELS_DIR'})`
    )
  }
  if (!options.filesVerified) await verifyFiles(manifest, dir)

  const modelFile = join(dir, fileOfRole(manifest, 'model')?.path ?? 'model.onnx')
  const tokenizerFile = join(dir, fileOfRole(manifest, 'tokenizer')?.path ?? 'tokenizer.json')
  const configEntry = fileOfRole(manifest, 'tokenizerConfig')
  const tokenizer = new TextTokenizer(
    readJson(tokenizerFile),
    configEntry ? readJson(join(dir, configEntry.path)) : {},
    manifest.maxTokens
  )

  let created
  try {
    created = await createEmbedderSession(manifest, modelFile, options.provider ?? 'auto', options.intraOpNumThreads, manifest.cpuInt8 && options.cpuInt8 !== false)
  } catch (err) {
    throw new EmbedderLoadError('MODEL_BROKEN', `${modelFile}: onnxruntime cannot load it: ${(err as Error).message}`, {
      cause: err
    })
  }
  const { session, provider, notes } = created
  const embedder = new OnnxEmbedder(manifest, session, tokenizer, provider, notes, options.batchSize ?? batchSizeFor(provider))
  await embedder.checkShape(modelFile)
  return embedder
}

class OnnxEmbedder implements Embedder {
  readonly name: string
  readonly dimension: number
  private readonly feedsTokenTypes: boolean

  constructor(
    private readonly manifest: ModelManifest,
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: TextTokenizer,
    readonly provider: string,
    readonly providerNotes: string[],
    private readonly batchSize: number
  ) {
    this.name = manifest.name
    this.dimension = manifest.dimension
    // Some exports require token_type_ids, others reject it as an unknown input.
    this.feedsTokenTypes = session.inputNames.includes('token_type_ids')
  }

  /** A wrong-shaped ONNX file must fail at load, not produce garbage vectors later. */
  async checkShape(modelFile: string): Promise<void> {
    const missing = ['input_ids', 'attention_mask'].filter((n) => !this.session.inputNames.includes(n))
    const problems: string[] = []
    if (missing.length) problems.push(`missing inputs ${missing.join(', ')} (has ${this.session.inputNames.join(', ')})`)
    if (!this.session.outputNames.includes(this.manifest.output)) {
      problems.push(`no output "${this.manifest.output}" (has ${this.session.outputNames.join(', ')})`)
    }
    if (problems.length === 0) {
      try {
        const out = await this.runBatch(padBatch([this.tokenizer.encode('shape check')], [0]))
        const dims = out.dims
        const last = dims[dims.length - 1]
        if (last !== this.dimension) problems.push(`output ${this.manifest.output} has width ${String(last)}, manifest says ${this.dimension}`)
      } catch (err) {
        problems.push(`a test run failed: ${(err as Error).message.split('\n')[0]}`)
      }
    }
    if (problems.length) {
      await this.session.release()
      throw new EmbedderLoadError('MODEL_SHAPE_MISMATCH', `${modelFile} does not match the manifest of ${this.name}: ${problems.join('; ')}`)
    }
  }

  runBatch(batch: PaddedBatch): Promise<ort.Tensor> {
    return this.session.run(encoderFeeds(batch, this.feedsTokenTypes), [this.manifest.output]).then((out) => {
      const t = out[this.manifest.output]
      if (!t) throw new Error(`output ${this.manifest.output} missing from the run`)
      return t
    })
  }

  /**
   * Texts go through in windows of EMBED_WINDOW: each window is tokenised, sorted by token count and cut
   * into batches padded to their own longest row (padding within a 2048-text window is ~3 % above a
   * global sort; sorting by characters instead of tokens pads ~25 % more).
   *
   * Within one session, tokenising is NOT overlapped with `session.run`: on this 2-core machine, JS
   * work while onnxruntime's two intra-op threads ran made one of them a straggler (0.76 of bare
   * throughput, versus ~0.9 taking turns). Using every core is the pool's job (embedderPool.ts): one
   * single-threaded session per worker, each tokenising while the other runs.
   */
  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array> {
    const dim = this.dimension
    const result = new Float32Array(texts.length * dim)
    for (let start = 0; start < texts.length; start += EMBED_WINDOW) {
      const prefix = this.manifest.textPrefix ?? ''
      const window = texts.slice(start, start + EMBED_WINDOW).map((t) => this.tokenizer.encode(prefix + t))
      for (const order of planBatches(window.map((e) => e.length), this.batchSize)) {
        signal?.throwIfAborted()
        const batch = padBatch(order.map((i) => window[i]!), order.map((i) => start + i))
        writeRows(await this.runBatch(batch), batch, this.manifest.pooling, dim, result)
      }
    }
    return result
  }

  close(): Promise<void> {
    return this.session.release()
  }
}

export interface InstalledEmbedder {
  name: string
  dir: string
  dimension: number
  isDefault: boolean
  modelFile: string
}

/** Models whose files are present (not verified: that costs a hash; loadEmbedder verifies). */
export function listInstalledEmbedders(modelsDir?: string): InstalledEmbedder[] {
  const installed: InstalledEmbedder[] = []
  for (const m of availableManifests(modelsDir)) {
    const dir = resolveModelDir(m, modelsDir)
    if (dir) installed.push({ name: m.name, dir, dimension: m.dimension, isDefault: m.default, modelFile: fileOfRole(m, 'model')?.path ?? 'model.onnx' })
  }
  // The default first, then smaller models first: they are the fastest to run.
  return installed.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || statSizeOf(a) - statSizeOf(b))
}

function statSizeOf(e: InstalledEmbedder): number {
  try {
    return statSync(join(e.dir, e.modelFile)).size
  } catch {
    return Number.MAX_SAFE_INTEGER
  }
}
