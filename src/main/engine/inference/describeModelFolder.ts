// A sentence-embedding model we have no manifest for (a multilingual model for a team that does not
// write English, say): its manifest is written from what the files say. The graph's own inputs and
// outputs decide the pooling, a test run gives the dimension, and the tokenizer and sentence-transformers
// configs give the token limit. Nothing is guessed that a run cannot confirm.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { EngineError } from '../../../shared/errors.ts'
import { jsonErrorWithoutContent } from './modelFolderSafety.ts'
import { encoderFeeds } from './encoderOutput.ts'
import { sha256OfFile, type HashOptions } from './fileChecksum.ts'
import { knownManifests, modelManifestSchema, type ModelFile, type ModelManifest } from './modelManifest.ts'
import { TextTokenizer, padBatch } from './textTokenizer.ts'

/** Longer inputs cost quadratic attention for little gain on ticket text; long-context models are cut here. */
export const MAX_TOKENS_CAP = 512

/** A file of the source folder and the plain name it gets in the installed folder. */
export interface FolderFile {
  readonly from: string
  readonly entry: ModelFile
}

export interface DescribedFolder {
  readonly manifest: ModelManifest
  readonly files: readonly FolderFile[]
}

const invalid = (message: string): EngineError => new EngineError('MODEL_INVALID', message)

/**
 * The ONNX file of the folder: `model.onnx`, else the Hugging Face layout's `onnx/model.onnx`, else the
 * only `.onnx` file at either level. Several candidates and no `model.onnx` is the user's choice to make.
 */
export function modelFileIn(dir: string): string {
  for (const candidate of [join(dir, 'model.onnx'), join(dir, 'onnx', 'model.onnx')]) if (existsSync(candidate)) return candidate
  const onnx = [dir, join(dir, 'onnx')]
    .filter((d) => existsSync(d) && statSync(d).isDirectory())
    .flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.onnx')).map((f) => join(d, f)))
  if (onnx.length === 1) return onnx[0]!
  if (onnx.length === 0) throw invalid(`${dir} holds no .onnx file: a sentence-embedding model needs one, with its tokenizer.json.`)
  throw invalid(`${dir} holds several .onnx files (${onnx.map((f) => basename(f)).join(', ')}): keep the one to use, or name it model.onnx.`)
}

function jsonIn(dir: string, name: string): Record<string, unknown> | undefined {
  const path = join(dir, name)
  if (!existsSync(path)) return undefined
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'))
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch (err) {
    throw invalid(`${path} is ${jsonErrorWithoutContent(err)}.`)
  }
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 2 ? value : undefined
}

/**
 * sentence-transformers' max_seq_length is what the model was trained to use; the tokenizer's and the
 * encoder's limits are upper bounds. Huge sentinels (transformers writes 1e30 for "no limit") are skipped.
 */
function maxTokensOf(dir: string): { maxTokens: number; note: string } {
  const sources: [string, unknown][] = [
    ['sentence_bert_config.json max_seq_length', jsonIn(dir, 'sentence_bert_config.json')?.max_seq_length],
    ['tokenizer_config.json model_max_length', jsonIn(dir, 'tokenizer_config.json')?.model_max_length],
    ['config.json max_position_embeddings', jsonIn(dir, 'config.json')?.max_position_embeddings]
  ]
  for (const [where, value] of sources) {
    const n = positiveInt(value)
    if (n === undefined || n > 1_000_000) continue
    if (n <= MAX_TOKENS_CAP) return { maxTokens: n, note: `from ${where}` }
    return { maxTokens: MAX_TOKENS_CAP, note: `${where} allows ${n}; cut at ${MAX_TOKENS_CAP}, plenty for a ticket and far cheaper` }
  }
  return { maxTokens: MAX_TOKENS_CAP, note: `no configuration names a limit; ${MAX_TOKENS_CAP}, what BERT-style encoders take` }
}

/** The model card (README.md) of a Hugging Face folder, if it has one. */
function modelCardIn(dir: string): string | undefined {
  const card = join(dir, 'README.md')
  return existsSync(card) ? readFileSync(card, 'utf8') : undefined
}

/** The licence the model card's front matter names (`license: apache-2.0`), if any. */
function licenceOf(dir: string, card: string | undefined): string {
  const front = card === undefined ? null : /^---\r?\n([\s\S]*?)\r?\n---/.exec(card)
  const licence = front && /^licen[cs]e:\s*(.+)$/m.exec(front[1]!)
  if (licence) return licence[1]!.trim()
  return existsSync(join(dir, 'LICENSE')) ? 'see LICENSE in the model folder' : 'not stated in the folder'
}

/**
 * The prefix an E5-style model card asks for: cards that tell users to start inputs with "query: " and
 * "passage: " get "query: ", which those cards recommend for symmetric tasks (similarity, classification).
 */
function textPrefixOf(card: string | undefined): string | undefined {
  if (card === undefined) return undefined
  return /["'`]query: ["'`]/.test(card) && /["'`]passage: ["'`]/.test(card) ? 'query: ' : undefined
}

/** A name for the installed folder: the one asked for, else the source folder's, made safe. */
export function modelNameFor(dir: string, requested?: string): string {
  const raw = (requested ?? basename(dir)).toLowerCase()
  const slug = raw.replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').replace(/[-.]+$/, '').slice(0, 80)
  if (!slug) throw invalid(`"${raw}" cannot name a model: use letters, digits, dots, dashes or underscores.`)
  // A committed name belongs to the model its manifest describes; this one is something else.
  return knownManifests().some((m) => m.name === slug) ? `${slug}-custom` : slug
}

/** Reads the graph's interface and test-runs it on CPU: the output to use, its pooling and width. */
async function probeGraph(
  modelPath: string,
  tokenizer: TextTokenizer
): Promise<{ inputs: ModelManifest['inputs']; output: string; pooling: ModelManifest['pooling']; dimension: number }> {
  let session: ort.InferenceSession
  try {
    session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], intraOpNumThreads: 1 })
  } catch (err) {
    throw invalid(`${modelPath} does not load in onnxruntime: ${(err as Error).message.split('\n')[0]}`)
  }
  try {
    const accepted = ['input_ids', 'attention_mask', 'token_type_ids']
    const unknown = session.inputNames.filter((n) => !accepted.includes(n))
    if (unknown.length) throw invalid(`${modelPath} wants inputs ${unknown.join(', ')}; a sentence encoder takes only ${accepted.join(', ')}.`)
    const missing = ['input_ids', 'attention_mask'].filter((n) => !session.inputNames.includes(n))
    if (missing.length) throw invalid(`${modelPath} has no input ${missing.join(' or ')} (it has ${session.inputNames.join(', ')}).`)

    const batch = padBatch([tokenizer.encode('printer offline'), tokenizer.encode('cannot log in to the VPN since this morning')], [0, 1])
    let outputs: ort.InferenceSession.ReturnType
    try {
      outputs = await session.run(encoderFeeds(batch, session.inputNames.includes('token_type_ids')))
    } catch (err) {
      throw invalid(`${modelPath} fails a test run: ${(err as Error).message.split('\n')[0]}`)
    }
    const floats = Object.entries(outputs).filter(([, t]) => t.type === 'float32' && t.dims[0] === batch.rows)
    const pooled = floats.filter(([, t]) => t.dims.length === 2)
    const perToken = floats.filter(([, t]) => t.dims.length === 3)
    // The model's own sentence vector first; else the mean of its token states (what sentence-transformers
    // does). A BERT `pooler_output` is not that: it was trained for next-sentence prediction, not similarity.
    const choice =
      pooled.find(([n]) => n === 'sentence_embedding') ??
      perToken.find(([n]) => n === 'last_hidden_state') ??
      perToken.find(([n]) => n === 'token_embeddings') ??
      perToken[0] ??
      pooled.find(([n]) => n !== 'pooler_output')
    if (!choice) {
      const seen = Object.entries(outputs).map(([n, t]) => `${n} ${t.type}[${t.dims.join(',')}]`)
      throw invalid(`${modelPath} gives no sentence or token vectors (outputs: ${seen.join('; ')}).`)
    }
    const [output, tensor] = choice
    const inputs = accepted.filter((n) => session.inputNames.includes(n)) as ModelManifest['inputs']
    return { inputs, output, pooling: tensor.dims.length === 2 ? 'pooled' : 'mean', dimension: Number(tensor.dims[tensor.dims.length - 1]) }
  } finally {
    await session.release()
  }
}

async function entryFor(role: ModelFile['role'], from: string, path: string, hashing: HashOptions): Promise<FolderFile> {
  return { from, entry: { role, path, bytes: statSync(from).size, sha256: await sha256OfFile(from, hashing) } }
}

/** The manifest of a model folder we have no manifest for, and the files to copy; MODEL_INVALID says why not. */
export async function describeModelFolder(
  dir: string,
  requestedName?: string,
  requestedPrefix?: string,
  hashing: HashOptions = {}
): Promise<DescribedFolder> {
  const modelPath = modelFileIn(dir)
  // Weights over 2 GB live beside the graph (`model.onnx_data`); ticket-sized encoders do not need that.
  const externalData = [`${modelPath}_data`, `${modelPath}.data`].find((f) => existsSync(f))
  if (externalData) {
    throw invalid(`${modelPath} keeps its weights in ${basename(externalData)}; the app installs single-file models only (a smaller or int8 export of the model is one file).`)
  }
  const tokenizerPath = join(dir, 'tokenizer.json')
  if (!existsSync(tokenizerPath)) {
    throw invalid(`${dir} has ${basename(modelPath)} but no tokenizer.json (the "fast" tokenizer file that comes with the model); copy it into the folder.`)
  }
  const tokenizerJson = jsonIn(dir, 'tokenizer.json')!
  const tokenizerConfig = jsonIn(dir, 'tokenizer_config.json')
  const { maxTokens, note } = maxTokensOf(dir)
  let tokenizer: TextTokenizer
  try {
    tokenizer = new TextTokenizer(tokenizerJson, tokenizerConfig ?? {}, maxTokens)
  } catch (err) {
    throw invalid(`${tokenizerPath} is not a tokenizer the app can read: ${(err as Error).message}`)
  }
  const graph = await probeGraph(modelPath, tokenizer)
  const files = [await entryFor('model', modelPath, 'model.onnx', hashing), await entryFor('tokenizer', tokenizerPath, 'tokenizer.json', hashing)]
  if (tokenizerConfig) files.push(await entryFor('tokenizerConfig', join(dir, 'tokenizer_config.json'), 'tokenizer_config.json', hashing))
  const name = modelNameFor(dir, requestedName)
  const card = modelCardIn(dir)
  const textPrefix = requestedPrefix ?? textPrefixOf(card)
  const manifest = modelManifestSchema.parse({
    schemaVersion: 1,
    name,
    displayName: `${basename(dir)} (installed from a folder)`,
    licence: licenceOf(dir, card),
    default: false,
    files: files.map((f) => f.entry),
    ...graph,
    maxTokens,
    maxTokensNote: note,
    ...(textPrefix ? { textPrefix } : {}),
    source: `Installed from ${dir} on ${new Date().toISOString().slice(0, 10)}. Not a model this app ships a manifest for: inputs, output and pooling were read from the graph, the dimension from a test run, and the checksums from the files as installed.`
  })
  return { manifest, files }
}
