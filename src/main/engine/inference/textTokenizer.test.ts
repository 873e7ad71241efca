import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Tokenizer } from '@huggingface/tokenizers'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { TextTokenizer, padBatch, planBatches } from './textTokenizer.ts'

const SHARED = new URL('../../../../../shared/', import.meta.url).pathname
const modelsDir = process.env.TRIAGE_MODELS_DIR ?? join(SHARED, 'models')
const read = (path: string): Record<string, string>[] => parse(readFileSync(join(SHARED, 'datasets', path)), { columns: true }) as Record<string, string>[]
const texts = [
  ...read('it-service-tickets/split/test.csv').slice(0, 600).map((r) => r.Document!),
  ...read('bueck-multilang-4k/split/test.csv').slice(0, 300).map((r) => `${r.subject}\n${r.body}`),
  '  leading spaces', 'double  space', 'tab\tand\nnewline', '', '   ', 'Ünïcödé ¡señor! 東京 😀'
]

describe.each([
  ['all-minilm-l6-v2-int8', 256],
  ['use-lite-en', 128]
])('TextTokenizer %s', (name, maxTokens) => {
  const dir = join(modelsDir, name)
  const json = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as object
  const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as object
  const reference = new Tokenizer(json, config)
  const tok = new TextTokenizer(json, config, maxTokens)

  it('gives exactly the reference ids (cut to max tokens) on real tickets, word cache or not', () => {
    for (const t of texts) {
      let ref = reference.encode(t).ids
      const specials = reference.encode('').ids
      if (ref.length > maxTokens) ref = ref.slice(0, maxTokens - Math.max(0, specials.length - 1)).concat(specials.slice(1))
      if (t.trim() === '') continue
      expect(tok.encode(t)).toEqual(ref)
    }
  })

  it('never returns an empty sequence and keeps the closing special token when cutting', () => {
    expect(tok.encode('').length).toBeGreaterThan(0)
    const long = tok.encode('word '.repeat(5000))
    expect(long.length).toBe(maxTokens)
    const closing = reference.encode('').ids.slice(1)
    if (closing.length) expect(long.slice(-closing.length)).toEqual(closing)
  })
})

describe('batching', () => {
  it('sorts by token count and pads each batch to its own longest row', () => {
    const plan = planBatches([5, 1, 3, 2, 4], 2)
    expect(plan).toEqual([[1, 3], [2, 4], [0]])
    const batch = padBatch([[7, 8, 9], [5]], [10, 11])
    expect(batch).toMatchObject({ rows: 2, length: 3, order: [10, 11] })
    expect(Array.from(batch.inputIds)).toEqual([7n, 8n, 9n, 5n, 0n, 0n])
    expect(Array.from(batch.attentionMask)).toEqual([1n, 1n, 1n, 1n, 0n, 0n])
  })
})
