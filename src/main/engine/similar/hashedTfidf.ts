// The fallback ticket embedder when no ONNX model is installed (or none loads): the built-in hashed
// TF-IDF features, folded into 512 dense dimensions by signed feature hashing, L2-normalised.
//
// Why fold: SimilarIndex and the embeddings table hold dense vectors, and 512 floats (2 KB a ticket) is
// the size of a sentence embedding, while the raw hashed space has 2^17 mostly-empty dimensions. Signed
// hashing keeps inner products unbiased (collisions add zero-mean noise of about 1/√512 ≈ 0.04 in
// cosine), which is far below the gap between a near-duplicate (≥ 0.95) and an unrelated ticket.
//
// Why a frozen IDF: a vector is computed once and kept, so every vector must use the same weights. The
// IDF is fitted once, on the tickets present at the first indexing, saved, and reused for every later
// ticket and query; a feature unseen at fit time is treated as the rarest kind (document frequency 0).
import { HashedCounter, fitTfidf, hashedDimension, sublinearTf, type TfidfModel, type TfidfParams } from '../inference/tfidf.ts'

export const TFIDF_EMBEDDER = 'tfidf-hash-512'
export const TFIDF_DIMENSION = 512

/** Smaller hashed blocks than the classifier's (2^16 each): the IDF is stored, and 512 buckets fold it anyway. */
export const TFIDF_HASH_PARAMS: TfidfParams = { wordBits: 16, charBits: 16, minDf: 1, charMin: 3, charMax: 5 }

export function fitHashedIdf(texts: readonly string[]): TfidfModel {
  return fitTfidf(texts, TFIDF_HASH_PARAMS)
}

/**
 * The same model as fitHashedIdf, counted in slices with `pause()` between them: fitting on the 20,000
 * tickets of a sample held the engine's thread for over a second, and it runs inside an index job while
 * the window waits for answers.
 */
export async function fitHashedIdfInSlices(texts: readonly string[], pause: () => Promise<void>, slice = 500): Promise<TfidfModel> {
  const params = TFIDF_HASH_PARAMS
  const df = new Uint32Array(hashedDimension(params))
  const counter = new HashedCounter(params)
  for (let at = 0; at < texts.length; at++) {
    if (at > 0 && at % slice === 0) await pause()
    const n = counter.count(texts[at]!)
    for (let i = 0; i < n; i++) df[counter.features[i]!]!++
  }
  // The document frequencies are fitTfidf's; fitting on no texts at all gives its model exactly.
  return idfFromCounts(df, texts.length)
}

function idfFromCounts(df: Uint32Array, documents: number): TfidfModel {
  const model = fitTfidf([], TFIDF_HASH_PARAMS)
  const idf = model.idf
  for (let f = 0; f < idf.length; f++) {
    const d = df[f]!
    // fitTfidf's smoothed idf (scikit-learn's), for `documents` texts.
    idf[f] = d >= TFIDF_HASH_PARAMS.minDf ? Math.log((1 + documents) / (1 + d)) + 1 : 0
  }
  return { ...model, idf, documents }
}

/** Bucket (low 9 bits) and sign (top bit) of a hashed feature, from a murmur3 finaliser so the two are independent. */
function mix(f: number): number {
  let h = Math.imul(f ^ 0x5bd1e995, 0x9e3779b1)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * Row-major texts.length × 512, each row of unit norm. Weights as in transformTfidf (sublinear tf × idf,
 * word and character blocks each normalised to 1/√2). A text without a single word (say "!!!") gets a
 * fixed unit vector rather than a zero one, which no index accepts: such tickets are alike in having
 * nothing to compare.
 */
export function embedHashedTfidf(model: TfidfModel, texts: readonly string[]): Float32Array {
  const { params, idf, documents } = model
  const unseenIdf = Math.log(1 + documents) + 1
  const charBase = 1 << params.wordBits
  const out = new Float32Array(texts.length * TFIDF_DIMENSION)
  const features: number[] = []
  const weights: number[] = []
  const counter = new HashedCounter(params)
  texts.forEach((text, r) => {
    features.length = 0
    weights.length = 0
    let wordNorm = 0
    let charNorm = 0
    const size = counter.count(text)
    for (let i = 0; i < size; i++) {
      const f = counter.features[i]!
      const c = counter.counts[f]!
      const seen = idf[f] ?? 0
      const w = sublinearTf(c) * (seen > 0 ? seen : unseenIdf)
      if (f < charBase) wordNorm += w * w
      else charNorm += w * w
      features.push(f)
      weights.push(w)
    }
    const ws = wordNorm > 0 ? Math.SQRT1_2 / Math.sqrt(wordNorm) : 0
    const cs = charNorm > 0 ? Math.SQRT1_2 / Math.sqrt(charNorm) : 0
    const row = new Float64Array(TFIDF_DIMENSION)
    for (let i = 0; i < features.length; i++) {
      const f = features[i]!
      const h = mix(f)
      const w = weights[i]! * (f < charBase ? ws : cs)
      row[h & (TFIDF_DIMENSION - 1)]! += h >>> 31 ? -w : w
    }
    let norm = 0
    for (let j = 0; j < TFIDF_DIMENSION; j++) norm += row[j]! * row[j]!
    const base = r * TFIDF_DIMENSION
    if (norm === 0) {
      out[base] = 1
      return
    }
    const scale = 1 / Math.sqrt(norm)
    for (let j = 0; j < TFIDF_DIMENSION; j++) out[base + j] = row[j]! * scale
  })
  return out
}

/** The IDF as stored in `models.params`: the dense array as base64 float32 (0.5 MB), read back exactly. */
export interface StoredIdf {
  readonly params: TfidfParams
  readonly documents: number
  readonly idfBase64: string
}

export function storeIdf(model: TfidfModel): StoredIdf {
  const bytes = Buffer.from(model.idf.buffer, model.idf.byteOffset, model.idf.byteLength)
  return { params: model.params, documents: model.documents, idfBase64: bytes.toString('base64') }
}

export function readStoredIdf(stored: StoredIdf): TfidfModel {
  const bytes = Buffer.from(stored.idfBase64, 'base64')
  const idf = new Float32Array(bytes.byteLength / 4)
  new Uint8Array(idf.buffer).set(bytes)
  const expected = (1 << stored.params.wordBits) + (1 << stored.params.charBits)
  if (idf.length !== expected) throw new Error(`the stored IDF has ${idf.length} values, its parameters need ${expected}`)
  return { params: stored.params, documents: stored.documents, idf }
}
