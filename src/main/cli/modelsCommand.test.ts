import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { quantizeMatMulWeights } from '../engine/inference/onnxQuantize.ts'
import { SHARED_MODELS as REAL_MODELS } from '../engine/testShared.ts'

// The real `triage` binary in a child process, on a real database, with a real encoder that no manifest
// lists (use-lite-en on int8 weights), as an IT department would script it.
const ROOT = resolve(import.meta.dirname, '../../..')
// The child CLI gets the folder the test found, set or not in this environment (plain `npx vitest` leaves it unset).
const SHARED_MODELS = REAL_MODELS ?? resolve(ROOT, '../shared/models')
const dir = mkdtempSync(join(tmpdir(), 'triage-cli-models-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function triage(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(ROOT, 'bin/triage.mjs'), ...args], {
      cwd: ROOT,
      env: { ...process.env, TRIAGE_MODELS_DIR: SHARED_MODELS, TRIAGE_DB: join(dir, 'data', 'triage.sqlite') }
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

// Needs the real models: its expectations name them (use-lite-en's 512-d vectors, the shared default).
describe.skipIf(!REAL_MODELS)('triage models', () => {
  it('installs a folder, chooses it, refuses what it must, and removes it', async () => {
    const folder = join(dir, 'Team Encoder')
    mkdirSync(folder)
    writeFileSync(join(folder, 'model.onnx'), quantizeMatMulWeights(readFileSync(join(SHARED_MODELS, 'use-lite-en', 'model.onnx'))).bytes)
    copyFileSync(join(SHARED_MODELS, 'use-lite-en', 'tokenizer.json'), join(folder, 'tokenizer.json'))

    const installed = await triage('models', 'install', folder, '--name', 'team', '--json')
    expect(installed.code).toBe(0)
    expect(JSON.parse(installed.stdout)).toMatchObject({ name: 'team', known: false, dimension: 512, folder: join(dir, 'data', 'models', 'team') })

    const used = await triage('models', 'use', 'team')
    expect(used.stdout).toMatch(/^Embedder: team; in use: team, every ticket indexed with it\./)
    const listed = JSON.parse((await triage('models', '--json')).stdout) as { activeEmbedder: string; chosenEmbedder: string; embedders: { name: string; removable: boolean }[] }
    expect(listed).toMatchObject({ activeEmbedder: 'team', chosenEmbedder: 'team' })
    expect(listed.embedders.find((e) => e.name === 'team')?.removable).toBe(true)
    expect(listed.embedders.find((e) => e.name === 'use-lite-en')?.removable).toBe(false)

    const human = (await triage('models')).stdout
    expect(human).toMatch(/^in use: team on cpu \(chosen: embedder team, provider auto\)/)
    expect(human).toMatch(/\nteam +512-d +installed +data folder +from a folder, pooled, ≤512 tokens, not stated in the folder\n/)
    const shared = await triage('models', 'remove', 'use-lite-en')
    expect(shared.code).toBe(1)
    expect(shared.stderr).toMatch(/use-lite-en is in .* \(TRIAGE_MODELS_DIR\), which the app never changes; remove it there\. \[NOT_FOUND\]/)
    const provider = await triage('models', 'provider', 'quantum')
    expect(provider.code).toBe(2)
    expect(provider.stderr).toMatch(/unknown provider "quantum": one of auto, cuda, coreml, dml, cpu/)

    const removed = await triage('models', 'remove', 'team')
    expect(removed.stdout).toMatch(/^Removed team\./)
    expect(existsSync(join(dir, 'data', 'models', 'team'))).toBe(false)
    const after = await triage('models')
    expect(after.stdout).toMatch(/^in use: all-minilm-l6-v2-int8 on cpu \(chosen: embedder auto, provider auto\)/)
    expect(after.stdout).not.toMatch(/team/)
  }, 120_000)
})
