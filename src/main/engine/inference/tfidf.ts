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
/** 1 + ln(count) for the small counts nearly every feature has, looked up rather than computed. */
const SUBLINEAR = Float64Array.from({ length: 64 }, (_, c) => (c === 0 ? 0 : 1 + Math.log(c)))
export function sublinearTf(count: number): number {
  return count < SUBLINEAR.length ? SUBLINEAR[count]! : 1 + Math.log(count)
}

/** Distinct words whose features a HashedCounter keeps (a few MB); past it the cache starts again. */
const WORD_CACHE_LIMIT = 50_000

function fnv1a(s: string, seed: number): number {
  return fnv1aContinue(s, (0x811c9dc5 ^ seed) >>> 0) >>> 0
}

function fnv1aContinue(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h
}

/** fnv1a(a + ' ' + b, seed) without building the joined string. */
function fnv1aPair(a: string, b: string, seed: number): number {
  let h = fnv1aContinue(a, (0x811c9dc5 ^ seed) >>> 0)
  h ^= 0x20
  h = Math.imul(h, 0x01000193)
  return fnv1aContinue(b, h) >>> 0
}

export function hashedDimension(p: TfidfParams): number {
  return (1 << p.wordBits) + (1 << p.charBits)
}

/**
 * Counts the hashed features of one text at a time in reusable typed arrays: word features in the first
 * block, character features in the second. A Map per text cost ~60 µs a ticket, most of classifying one.
 * After `count(text)`, `features[0..size)` are its distinct features in first-seen order and
 * `counts[f]` their counts, until the next call.
 */
export class HashedCounter {
  readonly counts: Uint32Array
  features = new Int32Array(1024)
  size = 0
  private readonly wordCache = new Map<string, Int32Array>()

  constructor(readonly params: TfidfParams) {
    this.counts = new Uint32Array(hashedDimension(params))
  }

  private add(f: number): void {
    const seen = this.counts[f]!
    this.counts[f] = seen + 1
    if (seen !== 0) return
    if (this.size === this.features.length) {
      const grown = new Int32Array(this.features.length * 2)
      grown.set(this.features)
      this.features = grown
    }
    this.features[this.size++] = f
  }

  count(text: string): number {
    for (let i = 0; i < this.size; i++) this.counts[this.features[i]!] = 0
    this.size = 0
    const words = text.slice(0, MAX_CHARS).toLowerCase().match(WORD) ?? []
    const wordMask = (1 << this.params.wordBits) - 1
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!
      const own = this.wordFeatures(w)
      this.add(own[0]!)
      if (i + 1 < words.length) this.add(fnv1aPair(w, words[i + 1]!, 2) & wordMask)
      for (let j = 1; j < own.length; j++) this.add(own[j]!)
    }
    return this.size
  }

  /**
   * A word's own features: its unigram, then the character n-grams of " word " (like scikit-learn's
   * char_wb: they catch typos, inflections and codes). Ticket text repeats its words, so they are kept.
   */
  private wordFeatures(w: string): Int32Array {
    const cached = this.wordCache.get(w)
    if (cached) return cached
    const p = this.params
    const charMask = (1 << p.charBits) - 1
    const charBase = 1 << p.wordBits
    const padded = ' ' + w + ' '
    const out: number[] = [fnv1a(w, 1) & ((1 << p.wordBits) - 1)]
    for (let n = p.charMin; n <= p.charMax; n++) {
      if (padded.length < n) break
      for (let s = 0; s + n <= padded.length; s++) {
        let h = (0x811c9dc5 ^ n) >>> 0
        for (let k = s; k < s + n; k++) {
          h ^= padded.charCodeAt(k)
          h = Math.imul(h, 0x01000193)
        }
        out.push(charBase + ((h >>> 0) & charMask))
      }
    }
    const features = Int32Array.from(out)
    if (this.wordCache.size >= WORD_CACHE_LIMIT) this.wordCache.clear()
    this.wordCache.set(w, features)
    return features
  }
}

export interface TfidfModel {
  params: TfidfParams
  /** Inverse document frequency per hashed feature; 0 drops a feature seen in fewer than minDf texts. */
  idf: Float32Array
  documents: number
}

/**
 * Each text's distinct hashed features and their counts, in CSR form: the costly half of featurising
 * (tokenising and hashing). Fitting the IDF and weighing rows both start from it, so a training counts
 * each text once, and counting splits across threads by rows (learn/parallelFeatures.ts).
 */
export interface CountedRows {
  rows: number
  indptr: Int32Array
  features: Int32Array
  counts: Uint16Array
}

export function countFeatures(texts: readonly string[], params: TfidfParams): CountedRows {
  const indptr = new Int32Array(texts.length + 1)
  let features = new Int32Array(Math.max(1024, texts.length * 256))
  let counts = new Uint16Array(features.length)
  let nnz = 0
  const counter = new HashedCounter(params)
  texts.forEach((t, r) => {
    const size = counter.count(t)
    if (nnz + size > features.length) {
      const grown = Math.max(features.length * 2, nnz + size)
      const f2 = new Int32Array(grown)
      f2.set(features)
      features = f2
      const c2 = new Uint16Array(grown)
      c2.set(counts)
      counts = c2
    }
    for (let i = 0; i < size; i++) {
      const f = counter.features[i]!
      features[nnz] = f
      // A count past 65,535 weighs 1 + ln(65,535) ≈ 12 either way: clamped, not wrapped.
      counts[nnz++] = Math.min(0xffff, counter.counts[f]!)
    }
    indptr[r + 1] = nnz
  })
  return { rows: texts.length, indptr, features: features.slice(0, nnz), counts: counts.slice(0, nnz) }
}

export function fitTfidf(texts: readonly string[], params: TfidfParams = DEFAULT_TFIDF_PARAMS): TfidfModel {
  return fitTfidfFromCounts(countFeatures(texts, params), params)
}

/** The IDF of the counted rows `pick` (default: all of them). */
export function fitTfidfFromCounts(counted: CountedRows, params: TfidfParams, pick?: readonly number[]): TfidfModel {
  const dimension = hashedDimension(params)
  const df = new Uint32Array(dimension)
  const n = pick ? pick.length : counted.rows
  for (let i = 0; i < n; i++) {
    const r = pick ? pick[i]! : i
    for (let j = counted.indptr[r]!; j < counted.indptr[r + 1]!; j++) df[counted.features[j]!]!++
  }
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
  return weighCounted(model, countFeatures(texts, model.params))
}

/** TF-IDF rows of the counted rows `pick`, in that order (default: all of them). */
export function weighCounted(model: TfidfModel, counted: CountedRows, pick?: readonly number[]): SparseRows {
  const { params, idf } = model
  const charBase = 1 << params.wordBits
  const rows = pick ? pick.length : counted.rows
  let most = 0
  for (let i = 0; i < rows; i++) {
    const r = pick ? pick[i]! : i
    most += counted.indptr[r + 1]! - counted.indptr[r]!
  }
  const indptr = new Int32Array(rows + 1)
  const indices = new Int32Array(most)
  const values = new Float32Array(most)
  let nnz = 0
  for (let i = 0; i < rows; i++) {
    const r = pick ? pick[i]! : i
    const start = nnz
    let wordNorm = 0
    let charNorm = 0
    for (let j = counted.indptr[r]!; j < counted.indptr[r + 1]!; j++) {
      const f = counted.features[j]!
      const weight = idf[f]!
      if (weight === 0) continue
      const w = sublinearTf(counted.counts[j]!) * weight
      if (f < charBase) wordNorm += w * w
      else charNorm += w * w
      indices[nnz] = f
      values[nnz++] = w
    }
    const ws = wordNorm > 0 ? Math.SQRT1_2 / Math.sqrt(wordNorm) : 0
    const cs = charNorm > 0 ? Math.SQRT1_2 / Math.sqrt(charNorm) : 0
    for (let i = start; i < nnz; i++) values[i]! *= indices[i]! < charBase ? ws : cs
    indptr[i + 1] = nnz
  }
  return { rows, dimension: idf.length, indptr, indices: indices.slice(0, nnz), values: values.slice(0, nnz) }
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
