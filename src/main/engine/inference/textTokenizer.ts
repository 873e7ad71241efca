// Wraps @huggingface/tokenizers, which neither truncates nor pads: we cut to the model's max tokens
// ourselves (keeping the closing special token, as sentence-transformers does) and pad per batch.
import { Tokenizer } from '@huggingface/tokenizers'

/** Characters kept before tokenising: a 50,000-char body would cost ~100x the tokens we keep. */
const CHARS_PER_TOKEN_BUDGET = 16

export class TextTokenizer {
  private readonly tokenizer: Tokenizer
  /** Special tokens the tokenizer appends after the text (e.g. BERT's [SEP]); kept when truncating. */
  private readonly suffix: number[]
  /** What an empty text encodes to; a model needs at least one token. */
  private readonly emptyIds: number[]

  constructor(
    tokenizerJson: object,
    tokenizerConfig: object,
    readonly maxTokens: number
  ) {
    this.tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig)
    const empty = this.tokenizer.encode('').ids
    // An empty text encodes to just the specials ([CLS][SEP] for BERT, nothing for USE); the ones after
    // the text are what ends the sequence. BERT-style: prefix = 1 ([CLS]), suffix = the rest.
    this.suffix = empty.length >= 2 ? empty.slice(1) : []
    this.emptyIds = empty.length > 0 ? empty : this.tokenizer.encode('.').ids
  }

  encode(text: string): number[] {
    const cut = text.length > this.maxTokens * CHARS_PER_TOKEN_BUDGET ? text.slice(0, this.maxTokens * CHARS_PER_TOKEN_BUDGET) : text
    let ids = this.tokenizer.encode(cut).ids
    if (ids.length === 0 || ids.length === this.emptyIds.length && cut.trim() === '') ids = this.emptyIds
    if (ids.length > this.maxTokens) {
      ids = ids.slice(0, this.maxTokens - this.suffix.length).concat(this.suffix)
    }
    return ids
  }
}

export interface PaddedBatch {
  rows: number
  length: number
  inputIds: BigInt64Array
  attentionMask: BigInt64Array
  /** Row r of the batch is text `order[r]` of the caller's array. */
  order: number[]
}

/**
 * Indices sorted by token count, cut into batches: padding each batch only to its own longest
 * sequence wastes far less compute than padding everything to the global maximum. (Sorting by
 * character length instead pads ~25 % more on ticket text, which costs more than tokenising first.)
 */
export function planBatches(lengths: readonly number[], batchSize: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a]! - lengths[b]! || a - b)
  const batches: number[][] = []
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize))
  return batches
}

/** Int64 tensors for one batch, padded with id 0 and mask 0 to the batch's longest sequence. */
export function padBatch(encoded: readonly number[][], order: number[]): PaddedBatch {
  let length = 1
  for (const ids of encoded) if (ids.length > length) length = ids.length
  const rows = encoded.length
  const inputIds = new BigInt64Array(rows * length)
  const attentionMask = new BigInt64Array(rows * length)
  encoded.forEach((ids, r) => {
    const base = r * length
    for (let c = 0; c < ids.length; c++) {
      inputIds[base + c] = BigInt(ids[c] ?? 0)
      attentionMask[base + c] = 1n
    }
  })
  return { rows, length, inputIds, attentionMask, order }
}
