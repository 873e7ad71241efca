// A model the app has no manifest for (here a real encoder with bytes no manifest lists: use-lite-en
// rewritten to int8 weights), installed from a folder on the Models page, then another chosen as the
// embedder, the execution provider forced to CPU, and the first removed again, all through the UI.
// Its own host and data folder, with no models in reach at start, so the engine begins on the built-in
// fallback.
import { expect, test, type Page } from '@playwright/test'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { quantizeMatMulWeights } from '../src/main/engine/inference/onnxQuantize.ts'
import { startOwnHostWithoutModels, type OwnHost } from './harness/ownHost.ts'
import { NO_SHARED_MODELS, SHARED_MODELS_PRESENT } from './harness/sharedData.ts'

test.skip(!SHARED_MODELS_PRESENT, NO_SHARED_MODELS)

const ROOT = resolve(import.meta.dirname, '..')
const SHARED_MODELS = resolve(process.env.TRIAGE_MODELS_DIR ?? resolve(ROOT, '../shared/models'))

let own: OwnHost

test.beforeAll(async () => {
  own = await startOwnHostWithoutModels('triage-e2e-embedder-')
})
test.afterAll(() => own?.close())

async function install(page: Page, folder: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Install a model from a folder' })
  await form.getByLabel('Model folder', { exact: true }).fill(folder)
  await form.getByRole('button', { name: 'Install' }).click()
}

test('install a model the app does not know, choose another, force the CPU, and remove the first', async ({ page }) => {
  const custom = join(own.dataDir, 'encoder-export')
  mkdirSync(custom)
  writeFileSync(join(custom, 'encoder.onnx'), quantizeMatMulWeights(readFileSync(join(SHARED_MODELS, 'use-lite-en', 'model.onnx'))).bytes)
  copyFileSync(join(SHARED_MODELS, 'use-lite-en', 'tokenizer.json'), join(custom, 'tokenizer.json'))

  await page.goto(own.url)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models', exact: true }).click()
  const inference = page.getByRole('region', { name: 'Inference' })
  await expect(inference.getByTestId('inference-summary')).toContainText('use built-in word features (no embedding model installed')

  // Described from its files, under the name given; the engine was on the fallback, so it switches to it at once.
  const form = page.getByRole('form', { name: 'Install a model from a folder' })
  await form.getByText('For a model the app does not know').click()
  await form.getByLabel('Name', { exact: true }).fill('Team Encoder')
  await install(page, custom)
  await expect(form.getByRole('status')).toContainText('Installed team-encoder, a model the app has no manifest for: 512-d vectors from its own pooled output', { timeout: 30_000 })
  await expect(page.getByRole('list', { name: 'Embedders' })).toContainText('team-encoder (512d): installed')
  await expect(page.getByRole('list', { name: 'Embedders' }).getByRole('listitem').filter({ hasText: 'team-encoder' })).toContainText(
    "installed from a folder, uses the model's own sentence vector, reads up to 512 tokens (about 384 words) of a ticket, licence not stated in the folder"
  )
  await expect(inference.getByTestId('inference-summary')).toContainText('use team-encoder')

  // A known model next: checked against its manifest, and it waits to be chosen.
  await install(page, join(SHARED_MODELS, 'use-lite-en'))
  await expect(form.getByRole('status')).toContainText('Installed use-lite-en; choose it as the Embedder', { timeout: 30_000 })
  await expect(inference.getByTestId('inference-summary')).toContainText('use team-encoder')

  const settings = page.getByRole('group', { name: 'Inference settings' })
  await settings.getByLabel('Embedder').selectOption('use-lite-en')
  await expect(settings.getByRole('status')).toContainText('Embedder set to use-lite-en')
  await expect(inference.getByTestId('inference-summary')).toContainText('use Universal Sentence Encoder Lite')

  // Where models run is an Advanced setting.
  await inference.getByText('Advanced', { exact: true }).click()
  const advanced = page.getByRole('group', { name: 'Advanced inference settings' })
  await advanced.getByLabel('Run models on').selectOption('cpu')
  await expect(advanced.getByRole('status')).toContainText('Provider set to cpu')
  await expect(inference.getByTestId('inference-summary')).toContainText(', on CPU')
  await page.reload()
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models', exact: true }).click()
  await expect(page.getByRole('group', { name: 'Inference settings' }).getByLabel('Embedder')).toHaveValue('use-lite-en')
  await page.getByRole('region', { name: 'Inference' }).getByText('Advanced', { exact: true }).click()
  await expect(page.getByRole('group', { name: 'Advanced inference settings' }).getByLabel('Run models on')).toHaveValue('cpu')
  await expect(page.getByRole('region', { name: 'Inference' }).getByTestId('inference-summary')).toHaveText('Similar tickets and new models use Universal Sentence Encoder Lite, on CPU.')
  await page.screenshot({ path: 'test-results/models-embedder-choice.png', fullPage: true })

  // Remove asks once more, then deletes the folder; the list no longer offers the model.
  const embedders = page.getByRole('list', { name: 'Embedders' })
  await embedders.getByRole('listitem').filter({ hasText: 'team-encoder' }).getByRole('button', { name: 'Remove…' }).click()
  await page.getByRole('group', { name: 'Remove team-encoder?' }).getByRole('button', { name: 'Remove team-encoder' }).click()
  await expect(page.getByRole('region', { name: 'Inference' }).getByRole('status').filter({ hasText: 'Removed team-encoder.' })).toBeVisible()
  await expect(embedders).not.toContainText('team-encoder')
  await expect(page.getByRole('region', { name: 'Inference' }).getByTestId('inference-summary')).toContainText('use Universal Sentence Encoder Lite')
})
