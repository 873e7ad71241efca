import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Tokenizer } from '@huggingface/tokenizers'
import { parse } from 'csv-parse/sync'
import { afterAll, describe, expect, it } from 'vitest'
import { writeTestEncoderFolder } from './testEncoder.ts'
import { TextTokenizer, padBatch, planBatches } from './textTokenizer.ts'
import { helpdeskExportFile, itServiceSplitFile, SHARED_MODELS } from '../testShared.ts'

// Real tickets where the shared datasets are, else fixture tickets in the same layouts.
const read = (path: string): Record<string, string>[] => parse(readFileSync(path), { columns: true }) as Record<string, string>[]
const texts = [
  ...read(itServiceSplitFile('test.csv')).slice(0, 600).map((r) => r.Document!),
  ...read(helpdeskExportFile()).slice(0, 300).map((r) => `${r.subject}\n${r.body}`),
  '  leading spaces', 'double  space', 'tab\tand\nnewline', '', '   ', 'Ünïcödé ¡señor! 東京 😀'
]

const scratch = mkdtempSync(join(tmpdir(), 'triage-tokenizer-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

// The shipped models' tokenizers (BERT WordPiece, SentencePiece Unigram) where they are; the test
// encoder's WordPiece tokenizer everywhere.
const tokenizers: [string, number, string][] = [
  ...(SHARED_MODELS
    ? ([
        ['all-minilm-l6-v2-int8', 256, join(SHARED_MODELS, 'all-minilm-l6-v2-int8')],
        ['use-lite-en', 128, join(SHARED_MODELS, 'use-lite-en')]
      ] as [string, number, string][])
    : []),
  ['test encoder', 64, writeTestEncoderFolder(join(scratch, 'test-encoder'))]
]

describe.each(tokenizers)('TextTokenizer %s', (_name, maxTokens, dir) => {
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
