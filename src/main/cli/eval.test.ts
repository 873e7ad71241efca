import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { capturedRun, type CapturedRun } from './capturedRun.ts'
import { evalCommand } from './eval.ts'
import { itServiceSplitFile } from '../engine/testShared.ts'

const dir = mkdtempSync(join(tmpdir(), 'triage-eval-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// Small slices of the it-service split (the real one where the shared datasets are, else fixture tickets
// in the same layout): header + first rows; these files have one line per record.
function slice(file: 'train.csv' | 'test.csv', rows: number): string {
  const path = join(dir, file)
  writeFileSync(path, readFileSync(itServiceSplitFile(file), 'utf8').split('\n').slice(0, rows + 1).join('\n') + '\n')
  return path
}

function run(args: string[]): Promise<CapturedRun> {
  return capturedRun(evalCommand, args)
}

describe('triage eval', () => {
  const train = slice('train.csv', 700)
  const test = slice('test.csv', 200)

  it('prints one JSON object with the metrics the checks read', async () => {
    const { code, stdout } = await run(['--train', train, '--test', test, '--target', 'Topic_group', '--text', 'Document', '--embedder', 'none', '--json'])
    expect(code).toBe(0)
    expect(stdout.trim().split('\n')).toHaveLength(1)
    const r = JSON.parse(stdout) as Record<string, unknown>
    expect(r).toMatchObject({ n_train: 700, n_test: 200, embedder: 'none' })
    for (const k of ['accuracy', 'macro_f1', 'weighted_f1', 'ece', 'mean_confidence', 'review_rate', 'seconds']) expect(typeof r[k]).toBe('number')
    expect(r.accuracy as number).toBeGreaterThan(0.6)
    expect(Object.keys(r.coverage_at_precision as object)).toEqual(expect.arrayContaining(['0.90', '0.95']))
    expect(Object.keys(r.per_class as object)).toContain('Hardware')
  })

  it('fails with a clear one-line message: exit 1 for the data, 2 for the command line', async () => {
    const missing = await run(['--train', train, '--test', test, '--target', 'Queue'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no column "Queue" \(columns: Document, Topic_group\)/)
    const usage = await run(['--train', train])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toBe('triage eval: --train, --test and --target are required (see triage eval --help)\n')
    const typo = await run(['--train', train, '--test', test, '--target', 'Topic_group', '--embedder', 'minilm'])
    expect(typo.code).toBe(1)
    expect(typo.stderr).toMatch(/unknown embedder "minilm"/)
  })
})
