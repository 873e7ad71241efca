// What can be checked of the Electron build without an Electron binary: the engine bundle loads and
// answers as a utilityProcess would run it, and the preload needs nothing a sandbox forbids.
import { expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')

test('the engine bundle runs under a utilityProcess-style parent port', () => {
  const dir = mkdtempSync(join(tmpdir(), 'triage-bundle-'))
  try {
    const dbPath = join(dir, 'triage.sqlite')
    const out = execFileSync(process.execPath, [join(ROOT, 'e2e/fixtures/fakeUtilityProcess.mjs'), dbPath], { encoding: 'utf8', timeout: 20_000 })
    const { parent, answer } = JSON.parse(out) as { parent: unknown[]; answer: unknown }
    expect(parent).toEqual([{ type: 'ready' }])
    expect(answer).toMatchObject({ id: 1, ok: true, result: { dbPath } })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the preload is CommonJS and requires only electron (sandbox: true allows nothing else)', () => {
  const preload = readFileSync(join(ROOT, 'out/preload/index.cjs'), 'utf8')
  const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])
  expect(required).toEqual(['electron'])
  expect(preload).not.toMatch(/^\s*import\s/m)
  expect(preload).toContain('exposeInMainWorld("triage"')
})

test('main and preload bundles parse (no duplicate shims or stray syntax)', () => {
  for (const file of ['out/main/index.js', 'out/main/engine.js', 'out/preload/index.cjs']) {
    execFileSync(process.execPath, ['--check', join(ROOT, file)], { stdio: 'pipe' })
  }
})
