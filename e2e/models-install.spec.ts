// Installing an embedding model from a folder through the Models page, as on a machine with no internet:
// a wrong folder gets a clear error and nothing changes; the real use-lite-en folder is checked and copied.
import { expect, test } from '@playwright/test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { HOST_MODEL_SOURCE, HOST_TOKEN } from './harness/hostAddress.ts'
import { NO_SHARED_MODELS, SHARED_MODELS_PRESENT } from './harness/sharedData.ts'

test.skip(!SHARED_MODELS_PRESENT, NO_SHARED_MODELS)

const ROOT = resolve(import.meta.dirname, '..')
const MODEL = resolve(process.env.TRIAGE_MODELS_DIR ?? resolve(ROOT, '../shared/models'), 'use-lite-en')

test('install a model folder from the Models page', async ({ page }) => {
  const wrong = mkdtempSync(join(HOST_MODEL_SOURCE, 'wrong-model-'))
  const outside = mkdtempSync(join(tmpdir(), 'triage-e2e-outside-'))
  writeFileSync(join(wrong, 'model.onnx'), 'not a model')
  try {
    await page.goto(`/?token=${HOST_TOKEN}`)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models', exact: true }).click()
    const form = page.getByRole('form', { name: 'Install a model from a folder' })
    // A page may not make the engine read any folder it names: only the data folder and --model-source ones.
    await form.getByLabel('Model folder', { exact: true }).fill(outside)
    await form.getByRole('button', { name: 'Install' }).click()
    await expect(form.getByRole('alert')).toContainText('models install only from the data folder or a folder the app was started with')
    await form.getByLabel('Model folder', { exact: true }).fill(wrong)
    await form.getByRole('button', { name: 'Install' }).click()
    await expect(form.getByRole('alert')).toContainText(`${wrong} has model.onnx but no tokenizer.json`)

    // The folder is chosen in the page and its model files uploaded: nobody types a server path.
    await expect(form.getByLabel('Model folder', { exact: true })).toHaveAttribute('placeholder', 'type a path')
    await form.getByLabel('Model folder to upload').setInputFiles(MODEL)
    await expect(form.getByRole('status')).toContainText('Installed use-lite-en', { timeout: 60_000 })
    await expect(form.getByRole('status')).toContainText(/\(28\.1 MB in .*use-lite-en\)/)
    await expect(form.getByRole('alert')).toHaveCount(0)
    await expect(page.getByRole('list', { name: 'Embedders' })).toContainText('use-lite-en (512d): installed')
  } finally {
    rmSync(wrong, { recursive: true, force: true })
    rmSync(outside, { recursive: true, force: true })
  }
})
