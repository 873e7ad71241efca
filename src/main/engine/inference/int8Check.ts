// Whether a model runs on int8 weights on CPU (onnxQuantize.ts rewrites its fp32 MatMul weights at load,
// 2–3x faster). The same int8 graph gives different numbers on different CPUs: onnxruntime picks its
// int8 kernels by instruction set, and on an AVX2 EPYC without VNNI weights that were fine elsewhere gave
// vectors at cosine 0.29 to fp32 while every benchmark still looked fast. So no rewrite is trusted
// blindly: where the model is loaded, its int8 vectors are compared with its fp32 ones on probe tickets
// in the languages support teams write in, and it stays in fp32, with a note the model status shows,
// when they drift. At install the same check decides whether a model we have never seen is marked
// cpuInt8 at all.
import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import type * as ort from 'onnxruntime-node'
import { encoderFeeds, rowCosines, writeRows } from './encoderOutput.ts'
import { createSession, type CreatedSession } from './executionProviders.ts'
import { fileOfRole, type ModelManifest } from './modelManifest.ts'
import { quantizeMatMulWeights, WEIGHT_LEVELS } from './onnxQuantize.ts'
import { TextTokenizer, padBatch } from './textTokenizer.ts'

/** Below this cosine to fp32, on any probe, the model keeps running in fp32. */
export const INT8_MIN_COSINE = 0.99

const PROBES = [
  'Cannot connect to the VPN since this morning, error 809',
  'Printer on the 3rd floor shows paper jam but there is no paper stuck',
  'Please reset the password for my account, I am locked out',
  'Refund for order #48213 has not arrived after two weeks',
  'Der Server antwortet nicht mehr, alle Dienste sind ausgefallen',
  'Bitte um Freigabe der Lizenz für Adobe Photoshop',
  'Mon ordinateur portable ne démarre plus après la mise à jour',
  'La factura de este mes tiene un cargo duplicado',
  'Não consigo acessar o painel de administração desde ontem',
  'Outlook crashes when opening attachments larger than 10 MB'
]

export interface Int8Verdict {
  readonly cpuInt8: boolean
  readonly note: string
}

/**
 * Probe results of this thread: per model file, CPU and weight scheme, the lowest probe cosine. A model
 * loaded again in the same thread (install then use, a main-thread reload) skips the probe runs, and one
 * that failed skips the rewrite too. The probe costs ~0.4 s on use-lite-en's first load in a thread (the
 * rewrite and int8 session, which any int8 load pays, ~0.5 s more). Embedding workers are new threads,
 * so each measures for itself, in parallel: a verdict handed over from elsewhere would be one more thing
 * to trust, and not keeping it on disk means a moved data folder or a changed CPU is never misjudged.
 */
const measured = new Map<string, number>()

function cacheKey(manifest: ModelManifest, modelFile: string): string {
  return [fileOfRole(manifest, 'model')?.sha256 ?? modelFile, cpus()[0]?.model ?? 'unknown CPU', WEIGHT_LEVELS].join('|')
}

function readJson(path: string): object {
  return JSON.parse(readFileSync(path, 'utf8')) as object
}

/** The probes' vectors from one session: tokenised, run and pooled as the embedder does. */
async function probeVectors(session: ort.InferenceSession, manifest: ModelManifest, tokenizer: TextTokenizer): Promise<Float32Array> {
  const batch = padBatch(
    PROBES.map((p) => tokenizer.encode((manifest.textPrefix ?? '') + p)),
    PROBES.map((_, i) => i)
  )
  const out = (await session.run(encoderFeeds(batch, session.inputNames.includes('token_type_ids')), [manifest.output]))[manifest.output]
  if (!out) throw new Error(`output ${manifest.output} missing from the probe run`)
  const vectors = new Float32Array(PROBES.length * manifest.dimension)
  writeRows(out, batch, manifest.pooling, manifest.dimension, vectors)
  return vectors
}

async function minProbeCosine(manifest: ModelManifest, modelFile: string, fp32: ort.InferenceSession, int8: ort.InferenceSession): Promise<number> {
  const dir = dirname(modelFile)
  const config = fileOfRole(manifest, 'tokenizerConfig')
  const tokenizer = new TextTokenizer(
    readJson(join(dir, fileOfRole(manifest, 'tokenizer')?.path ?? 'tokenizer.json')),
    config ? readJson(join(dir, config.path)) : {},
    manifest.maxTokens
  )
  const [a, b] = [await probeVectors(fp32, manifest, tokenizer), await probeVectors(int8, manifest, tokenizer)]
  return Math.min(...rowCosines(a, b, manifest.dimension))
}

export interface Int8Choice {
  /** The session to run: on int8 weights where they passed, else the fp32 one it was given. */
  readonly created: CreatedSession
  readonly verdict: Int8Verdict
}

/**
 * Given the model's fp32 CPU session, builds its int8-weight session and keeps whichever the probes
 * allow; the other one is released. `when` only words the note.
 */
export async function chooseInt8Session(
  manifest: ModelManifest,
  modelFile: string,
  fp32: CreatedSession,
  threads: number | undefined,
  when: 'at install' | 'at load on this CPU'
): Promise<Int8Choice> {
  const key = cacheKey(manifest, modelFile)
  const known = measured.get(key)
  if (known !== undefined && known < INT8_MIN_COSINE) return keepFp32(fp32, known, when)
  const { bytes, replaced } = quantizeMatMulWeights(readFileSync(modelFile))
  if (replaced === 0) {
    return { created: fp32, verdict: { cpuInt8: false, note: 'no fp32 MatMul weights to quantise (the file is int8 already, or laid out otherwise)' } }
  }
  let int8: CreatedSession
  try {
    int8 = await createSession(bytes, 'cpu', threads)
  } catch (err) {
    const note = `kept in fp32: int8 weights do not load (${(err as Error).message.split('\n')[0]})`
    return { created: { ...fp32, notes: [...fp32.notes, note] }, verdict: { cpuInt8: false, note } }
  }
  let min = known
  try {
    min ??= await minProbeCosine(manifest, modelFile, fp32.session, int8.session)
  } catch (err) {
    // fp32 is never the wrong answer, only the slower one.
    await int8.session.release()
    const note = `kept in fp32: the int8 check could not run (${(err as Error).message.split('\n')[0]})`
    return { created: { ...fp32, notes: [...fp32.notes, note] }, verdict: { cpuInt8: false, note } }
  }
  measured.set(key, min)
  const how = probeWords(min, when)
  if (min >= INT8_MIN_COSINE) {
    await fp32.session.release()
    const note = `${replaced} weight matrices quantised to int8 at load (CPU; ${how})`
    return { created: { ...int8, notes: [...fp32.notes, note] }, verdict: { cpuInt8: true, note: `int8 weights on CPU: ${how}` } }
  }
  await int8.session.release()
  return keepFp32(fp32, min, when)
}

function probeWords(min: number, when: string): string {
  return `min cosine ${min.toFixed(4)} to fp32 on ${PROBES.length} probe tickets in 5 languages, checked ${when}`
}

function keepFp32(fp32: CreatedSession, min: number, when: string): Int8Choice {
  const note = `kept in fp32: int8 vectors drift (${probeWords(min, when)}; needs ${INT8_MIN_COSINE})`
  return { created: { ...fp32, notes: [...fp32.notes, note] }, verdict: { cpuInt8: false, note } }
}

/** At install: whether a model we have never seen may be marked cpuInt8, and the note saying why. */
export async function int8Verdict(manifest: ModelManifest, dir: string): Promise<Int8Verdict> {
  const modelFile = join(dir, fileOfRole(manifest, 'model')?.path ?? 'model.onnx')
  const fp32 = await createSession(modelFile, 'cpu')
  const { created, verdict } = await chooseInt8Session(manifest, modelFile, fp32, undefined, 'at install')
  await created.session.release()
  return verdict
}
