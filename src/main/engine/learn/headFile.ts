// A trained head on disk: one JSON document with a format version, the arrays as base64 and a sha256
// over the payload, so a damaged or hand-edited file is refused instead of predicting nonsense.
import { readFileSync, writeFileSync, renameSync } from 'node:fs'
import { sha256OfBytes } from '../inference/fileChecksum.ts'
import { deserialiseTfidf, serialiseTfidf, type SerialisedTfidf } from '../inference/tfidf.ts'
import { featureSpace } from './featureRows.ts'
import type { TrainedHead } from './trainHead.ts'

export const HEAD_FORMAT_VERSION = 1

export class HeadFileError extends Error {
  readonly code = 'HEAD_FILE_INVALID'
}

interface HeadPayload {
  formatVersion: number
  createdAt: string
  classes: string[]
  classCounts: number[]
  embedder: string | null
  embeddingDim: number
  embeddingScale: number
  tfidf: SerialisedTfidf
  weights: string
  denseDim: number
  sparseDim: number
  temperature: number
  blend: TrainedHead['blend']
  thresholds: TrainedHead['thresholds']
  validation: TrainedHead['validation']
  params: TrainedHead['params']
  trainingRows: number
  validationIndex: number[]
  validationOutcomes: { truth: number[]; predicted: number[]; confidence: number[]; probabilities: string }
}

const toBase64 = (a: Float32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')
function fromBase64(s: string): Float32Array {
  const b = Buffer.from(s, 'base64')
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))
}

/** Writes atomically (temp file + rename) and returns the payload's sha256, to record in `models`. */
export function saveHead(head: TrainedHead, path: string): string {
  const payload: HeadPayload = {
    formatVersion: HEAD_FORMAT_VERSION,
    createdAt: head.createdAt,
    classes: head.classes,
    classCounts: head.classCounts,
    embedder: head.embedder,
    embeddingDim: head.space.embeddingDim,
    embeddingScale: head.space.embeddingScale,
    tfidf: serialiseTfidf(head.space.tfidf),
    weights: toBase64(head.linear.weights),
    denseDim: head.linear.denseDim,
    sparseDim: head.linear.sparseDim,
    temperature: head.temperature,
    blend: head.blend,
    thresholds: head.thresholds,
    validation: head.validation,
    params: head.params,
    trainingRows: head.trainingRows,
    validationIndex: Array.from(head.validationIndex),
    validationOutcomes: {
      truth: Array.from(head.validationOutcomes.truth),
      predicted: Array.from(head.validationOutcomes.predicted),
      confidence: Array.from(head.validationOutcomes.confidence),
      probabilities: toBase64(head.validationOutcomes.probabilities)
    }
  }
  const body = JSON.stringify(payload)
  const sha256 = sha256OfBytes(body)
  writeFileSync(`${path}.tmp`, JSON.stringify({ sha256, payload: body }))
  renameSync(`${path}.tmp`, path)
  return sha256
}

/** The head without its neighbour vectors: those come from the embeddings table at prediction time. */
export function loadHead(path: string): TrainedHead {
  let outer: { sha256?: unknown; payload?: unknown }
  try {
    outer = JSON.parse(readFileSync(path, 'utf8')) as typeof outer
  } catch (err) {
    throw new HeadFileError(`${path}: not a head file (${(err as Error).message})`)
  }
  if (typeof outer.payload !== 'string' || typeof outer.sha256 !== 'string') throw new HeadFileError(`${path}: not a head file`)
  const actual = sha256OfBytes(outer.payload)
  if (actual !== outer.sha256) throw new HeadFileError(`${path}: sha256 ${actual} does not match the recorded ${outer.sha256}; the file is damaged`)
  const p = JSON.parse(outer.payload) as HeadPayload
  if (p.formatVersion !== HEAD_FORMAT_VERSION) {
    throw new HeadFileError(`${path}: head format ${p.formatVersion}, this version reads ${HEAD_FORMAT_VERSION}`)
  }
  const space = featureSpace(deserialiseTfidf(p.tfidf), p.embeddingDim, p.embeddingScale)
  const weights = fromBase64(p.weights)
  if (space.sparseDim !== p.sparseDim || weights.length !== (p.denseDim + p.sparseDim + 1) * p.classes.length) {
    throw new HeadFileError(`${path}: weights do not match the feature space`)
  }
  return {
    formatVersion: 1,
    createdAt: p.createdAt,
    classes: p.classes,
    classCounts: p.classCounts,
    embedder: p.embedder,
    space,
    linear: { classes: p.classes.length, denseDim: p.denseDim, sparseDim: p.sparseDim, weights },
    temperature: p.temperature,
    blend: p.blend,
    thresholds: p.thresholds,
    validation: p.validation,
    params: p.params,
    trainingRows: p.trainingRows,
    validationIndex: Int32Array.from(p.validationIndex),
    validationOutcomes: {
      truth: Int32Array.from(p.validationOutcomes.truth),
      predicted: Int32Array.from(p.validationOutcomes.predicted),
      confidence: Float32Array.from(p.validationOutcomes.confidence),
      probabilities: fromBase64(p.validationOutcomes.probabilities)
    }
  }
}
