// The built-in featuriser: hashed word (1–2 gram) and character (3–5 gram, within words) TF-IDF.
// It needs no download, so a fresh install can train at once, and on in-domain ticket text it is as
// strong as a sentence embedding; the two together beat either alone.

export interface TfidfParams {
  /** log2 of the hashed space of each block (words, characters). */
  wordBits: number
  charBits: number
  minDf: number
  charMin: number
  charMax: number
}

export const DEFAULT_TFIDF_PARAMS: TfidfParams = { wordBits: 18, charBits: 18, minDf: 2, charMin: 3, charMax: 5 }

/** Sparse rows in CSR form: row r's entries are indices/values[indptr[r] .. indptr[r+1]). */
export interface SparseRows {
  rows: number
  dimension: number
  indptr: Int32Array
  indices: Int32Array
  values: Float32Array
}

/** Longer texts add little signal past this and cost linear time (a pasted 50,000-char log, say). */
const MAX_CHARS = 20_000
const WORD = /[\p{L}\p{N}_]{2,}/gu

function fnv1a(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** Hashed feature counts of one text; word features first block, char features second. */
export function hashedCounts(text: string, p: TfidfParams): Map<number, number> {
  const counts = new Map<number, number>()
  const add = (f: number): void => {
    counts.set(f, (counts.get(f) ?? 0) + 1)
  }
  const words = text.slice(0, MAX_CHARS).toLowerCase().match(WORD) ?? []
  const wordMask = (1 << p.wordBits) - 1
  const charMask = (1 << p.charBits) - 1
  const charBase = 1 << p.wordBits
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    add(fnv1a(w, 1) & wordMask)
    if (i + 1 < words.length) add(fnv1a(w + ' ' + words[i + 1]!, 2) & wordMask)
    // Character n-grams of " word " (like scikit-learn's char_wb) catch typos, inflections and codes.
    const padded = ' ' + w + ' '
    for (let n = p.charMin; n <= p.charMax; n++) {
      if (padded.length < n) break
      for (let s = 0; s + n <= padded.length; s++) {
        let h = (0x811c9dc5 ^ n) >>> 0
        for (let k = s; k < s + n; k++) {
          h ^= padded.charCodeAt(k)
          h = Math.imul(h, 0x01000193)
        }
        add(charBase + ((h >>> 0) & charMask))
      }
    }
  }
  return counts
}

export interface TfidfModel {
  params: TfidfParams
  /** Inverse document frequency per hashed feature; 0 drops a feature seen in fewer than minDf texts. */
  idf: Float32Array
  documents: number
}

export function fitTfidf(texts: readonly string[], params: TfidfParams = DEFAULT_TFIDF_PARAMS): TfidfModel {
  const dimension = (1 << params.wordBits) + (1 << params.charBits)
  const df = new Uint32Array(dimension)
  for (const t of texts) for (const f of hashedCounts(t, params).keys()) df[f]!++
  const n = texts.length
  const idf = new Float32Array(dimension)
  for (let f = 0; f < dimension; f++) {
    const d = df[f]!
    // Smoothed idf as in scikit-learn, so numbers compare with the Python reference runs.
    idf[f] = d >= params.minDf ? Math.log((1 + n) / (1 + d)) + 1 : 0
  }
  return { params, idf, documents: n }
}

/**
 * Sublinear tf × idf; the word and character blocks are each L2-normalised and scaled by 1/√2, so a
 * row has unit norm overall and neither block drowns the other.
 */
export function transformTfidf(model: TfidfModel, texts: readonly string[]): SparseRows {
  const { params, idf } = model
  const charBase = 1 << params.wordBits
  const indptr = new Int32Array(texts.length + 1)
  let indices = new Int32Array(Math.max(1024, texts.length * 256))
  let values = new Float32Array(indices.length)
  let nnz = 0
  texts.forEach((t, r) => {
    const counts = hashedCounts(t, params)
    if (nnz + counts.size > indices.length) {
      const grown = Math.max(indices.length * 2, nnz + counts.size)
      const i2 = new Int32Array(grown)
      i2.set(indices)
      indices = i2
      const v2 = new Float32Array(grown)
      v2.set(values)
      values = v2
    }
    const start = nnz
    let wordNorm = 0
    let charNorm = 0
    for (const [f, c] of counts) {
      const weight = idf[f]!
      if (weight === 0) continue
      const w = (1 + Math.log(c)) * weight
      if (f < charBase) wordNorm += w * w
      else charNorm += w * w
      indices[nnz] = f
      values[nnz++] = w
    }
    const ws = wordNorm > 0 ? Math.SQRT1_2 / Math.sqrt(wordNorm) : 0
    const cs = charNorm > 0 ? Math.SQRT1_2 / Math.sqrt(charNorm) : 0
    for (let i = start; i < nnz; i++) values[i]! *= indices[i]! < charBase ? ws : cs
    indptr[r + 1] = nnz
  })
  return { rows: texts.length, dimension: idf.length, indptr, indices: indices.slice(0, nnz), values: values.slice(0, nnz) }
}

export interface SerialisedTfidf {
  params: TfidfParams
  documents: number
  /** Only the kept features, as parallel arrays: most of the hashed space is empty. */
  features: number[]
  idf: number[]
}

export function serialiseTfidf(model: TfidfModel): SerialisedTfidf {
  const features: number[] = []
  const idf: number[] = []
  model.idf.forEach((v, f) => {
    if (v > 0) {
      features.push(f)
      idf.push(v)
    }
  })
  return { params: model.params, documents: model.documents, features, idf }
}

export function deserialiseTfidf(s: SerialisedTfidf): TfidfModel {
  const idf = new Float32Array((1 << s.params.wordBits) + (1 << s.params.charBits))
  s.features.forEach((f, i) => {
    idf[f] = s.idf[i] ?? 0
  })
  return { params: s.params, idf, documents: s.documents }
}
