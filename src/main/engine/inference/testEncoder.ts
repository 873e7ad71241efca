// A tiny sentence encoder for tests that must run without the real models: a WordPiece tokenizer over the
// fixture tickets' words (tokenizer.json as Hugging Face writes it) and an ONNX graph written with our own
// graph writer: token embeddings (Gather) then one MatMul, mean-pooled by the app. It loads, pools, runs on
// int8 weights (it has a MatMul to quantise), installs from a folder and trains heads like a real one; its
// vectors are bags of words, so tickets that share words are close.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FIXTURE_WORDS } from '../fixtureTickets.ts'
import { SHARED_MODELS } from '../testShared.ts'
import { sha256OfBytes } from './fileChecksum.ts'
import { LOCAL_MANIFEST_FILE, type ModelManifest } from './modelManifest.ts'
import { encodeOnnxModel } from './onnxGraph.ts'

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'] as const
/** Width of the token table, and of the vectors out of the MatMul. */
const TABLE_WIDTH = 32
export const TEST_ENCODER_DIMENSION = 32

/** The vocabulary: specials first (id 0 is padding, as padBatch assumes), then the fixture words. */
export function testVocabulary(): Record<string, number> {
  return Object.fromEntries([...SPECIALS, ...FIXTURE_WORDS].map((w, i) => [w, i]))
}

/** A BERT-style tokenizer.json: lower-cased, split on whitespace and punctuation, [CLS] … [SEP]. */
export function testTokenizerJson(): object {
  const vocab = testVocabulary()
  const added = SPECIALS.map((content) => ({ id: vocab[content]!, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }))
  const special = (t: '[CLS]' | '[SEP]') => ({ id: t, ids: [vocab[t]!], tokens: [t] })
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } }
      ],
      special_tokens: { '[CLS]': special('[CLS]'), '[SEP]': special('[SEP]') }
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab }
  }
}

export const TEST_TOKENIZER_CONFIG = { do_lower_case: true, unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', tokenizer_class: 'BertTokenizer', model_max_length: 64 }

export interface TestEncoderOptions {
  /** Output width; the MatMul maps the 32-wide token table to it. */
  readonly dimension?: number
  /**
   * Each weight column gets one huge value on a table column that is always 0: fp32 never sees it, but
   * per-column int8 scales are set by it and round every other weight to 0, so int8 vectors are garbage
   * (as saturated kernels make them on some CPUs): what the int8 check must catch.
   */
  readonly outlier?: boolean
  /** Also take token_type_ids (ignored by the graph), as BERT exports do. */
  readonly tokenTypeIds?: boolean
  /** Varies the weights, so two test encoders give different vectors. */
  readonly seed?: number
}

/** Zero-mean noise in [-1, 1), the same for the same (i, seed): word vectors that are nearly orthogonal. */
function noise(i: number, seed: number): number {
  const x = Math.sin(i * 12.9898 + seed * 78.233) * 43758.5453
  return (x - Math.floor(x)) * 2 - 1
}

/** The ONNX bytes: last_hidden_state[batch, seq, dim] = table[input_ids] · W. */
export function testEncoderOnnx(options: TestEncoderOptions = {}): Uint8Array {
  const dim = options.dimension ?? TEST_ENCODER_DIMENSION
  const seed = options.seed ?? 1
  const vocabSize = SPECIALS.length + FIXTURE_WORDS.length
  // Column 0 stays 0 (where the outlier weights sit); the padding row is all 0.
  const table = new Float32Array(vocabSize * TABLE_WIDTH).map((_, i) => (i % TABLE_WIDTH === 0 || i < TABLE_WIDTH ? 0 : noise(i, seed)))
  const weights = new Float32Array(TABLE_WIDTH * dim).map((_, i) => (options.outlier && i < dim ? 1000 : noise(i, seed + 7)))
  const inputs = [
    { name: 'input_ids', type: 'int64' as const, shape: ['batch', 'seq'] },
    { name: 'attention_mask', type: 'int64' as const, shape: ['batch', 'seq'] },
    ...(options.tokenTypeIds ? [{ name: 'token_type_ids', type: 'int64' as const, shape: ['batch', 'seq'] }] : [])
  ]
  return encodeOnnxModel({
    name: 'triage-test-encoder',
    inputs,
    outputs: [{ name: 'last_hidden_state', type: 'float', shape: ['batch', 'seq', dim] }],
    initializers: [
      { name: 'table', dims: [vocabSize, TABLE_WIDTH], data: table },
      { name: 'W', dims: [TABLE_WIDTH, dim], data: weights }
    ],
    nodes: [
      { op: 'Gather', inputs: ['table', 'input_ids'], outputs: ['tokens'] },
      { op: 'MatMul', inputs: ['tokens', 'W'], outputs: ['last_hidden_state'] }
    ]
  })
}

/**
 * Writes `<dir>`: model.onnx, tokenizer.json, tokenizer_config.json, as a user would copy a model folder
 * (installModelFolder describes it). Returns the folder.
 */
export function writeTestEncoderFolder(dir: string, options: TestEncoderOptions = {}): string {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'model.onnx'), testEncoderOnnx(options))
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(testTokenizerJson()))
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(TEST_TOKENIZER_CONFIG))
  return dir
}

/** The manifest of a folder written by writeTestEncoderFolder, with the checksums of its files. */
export function testEncoderManifest(name: string, dir: string, options: TestEncoderOptions & { cpuInt8?: boolean } = {}): ModelManifest {
  const entry = (role: 'model' | 'tokenizer' | 'tokenizerConfig', path: string) => {
    const bytes = readFileSync(join(dir, path))
    return { role, path, bytes: bytes.length, sha256: sha256OfBytes(bytes) }
  }
  return {
    schemaVersion: 1,
    name,
    displayName: `${name} (test encoder)`,
    licence: 'test',
    default: false,
    files: [entry('model', 'model.onnx'), entry('tokenizer', 'tokenizer.json'), entry('tokenizerConfig', 'tokenizer_config.json')],
    inputs: options.tokenTypeIds ? ['input_ids', 'attention_mask', 'token_type_ids'] : ['input_ids', 'attention_mask'],
    output: 'last_hidden_state',
    pooling: 'mean',
    dimension: options.dimension ?? TEST_ENCODER_DIMENSION,
    maxTokens: 64,
    cpuInt8: options.cpuInt8 ?? true,
    source: 'built by testEncoder.ts for tests'
  }
}

/**
 * An installed test encoder: `<modelsDir>/<name>/` with its files and its own manifest.json, as a model
 * installed from a folder is, so listInstalledEmbedders and loadEmbedder find it by name.
 */
export function installTestEncoder(modelsDir: string, name: string, options: TestEncoderOptions = {}): ModelManifest {
  const dir = writeTestEncoderFolder(join(modelsDir, name), options)
  const manifest = testEncoderManifest(name, dir, options)
  writeFileSync(join(dir, LOCAL_MANIFEST_FILE), JSON.stringify(manifest, null, 2))
  return manifest
}

/** The name the test encoder is installed under by modelsForTests. */
export const TEST_ENCODER = 'test-encoder'

/**
 * Models for tests that need an installed embedder: the real ones (SHARED_MODELS) with their default,
 * else a temporary folder holding the test encoder, which is then the default (the only one installed).
 */
export function modelsForTests(): { readonly dir: string; readonly defaultEmbedder: string; readonly real: boolean } {
  if (SHARED_MODELS) return { dir: SHARED_MODELS, defaultEmbedder: 'all-minilm-l6-v2-int8', real: true }
  const dir = mkdtempSync(join(tmpdir(), 'triage-test-models-'))
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  installTestEncoder(dir, TEST_ENCODER)
  return { dir, defaultEmbedder: TEST_ENCODER, real: false }
}
