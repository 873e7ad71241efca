// Where the tests find the real datasets and model weights (the shared folder beside the checkout, or
// TRIAGE_SHARED / TRIAGE_MODELS_DIR), and whether they are there at all. A fresh clone has neither: tests
// that need them are skipped (never failed), and the Vitest global setup says once how to enable them.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fixtureDatasetDir } from './fixtureTickets.ts'

/** The shared folder: TRIAGE_SHARED, else `../shared` beside the repository, as CI lays it out. */
export const SHARED_DIR = resolve(process.env.TRIAGE_SHARED ?? resolve(import.meta.dirname, '../../../../shared'))

/** `<shared>/datasets` when it holds the splits the tests read, else undefined. */
export const SHARED_DATASETS: string | undefined = [join(SHARED_DIR, 'datasets')].find((d) =>
  existsSync(join(d, 'it-service-tickets/split/train.csv'))
)

/**
 * The real models: TRIAGE_MODELS_DIR when set (CI), else `<shared>/models`; undefined unless use-lite-en is
 * there, the model the real-model tests are written against.
 */
export const SHARED_MODELS: string | undefined = [process.env.TRIAGE_MODELS_DIR ?? join(SHARED_DIR, 'models')]
  .map((d) => resolve(d))
  .find((d) => existsSync(join(d, 'use-lite-en', 'model.onnx')))

/** A file of a real dataset, e.g. `it-service-tickets/split/train.csv`; undefined without the datasets. */
export function sharedDataset(path: string): string | undefined {
  const file = SHARED_DATASETS && join(SHARED_DATASETS, path)
  return file && existsSync(file) ? file : undefined
}

/** What to tell a developer whose checkout has no shared folder (printed once per run by the global setup). */
export function missingSharedNote(): string | undefined {
  const missing = [!SHARED_DATASETS && `real datasets (looked in ${join(SHARED_DIR, 'datasets')})`, !SHARED_MODELS && `real models (looked in ${process.env.TRIAGE_MODELS_DIR ?? join(SHARED_DIR, 'models')})`].filter(Boolean)
  if (!missing.length) return undefined
  return `${missing.join(' and ')} not found: the tests that need them are skipped (see "skipped" below), the rest run on fixtures; put the shared folder beside the checkout, or set TRIAGE_SHARED and TRIAGE_MODELS_DIR, to run them.`
}

/** The it-service split's `train.csv` / `test.csv` (Document, Topic_group): the real one, else fixture tickets. */
export function itServiceSplitFile(file: 'train.csv' | 'test.csv'): string {
  return sharedDataset(`it-service-tickets/split/${file}`) ?? join(fixtureDatasetDir(), file)
}

/** A helpdesk export with subject, body, type, queue and priority: bueck's test split, else 400 fixture tickets. */
export function helpdeskExportFile(): string {
  return sharedDataset('bueck-multilang-4k/split/test.csv') ?? join(fixtureDatasetDir(), 'helpdesk.csv')
}
