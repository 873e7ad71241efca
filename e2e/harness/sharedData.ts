// The real datasets and models some specs are written against: the shared folder beside the checkout
// (TRIAGE_SHARED) and TRIAGE_MODELS_DIR, as CI lays them out. A fresh clone has neither, and those specs
// skip with this reason instead of failing.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')
const SHARED = resolve(process.env.TRIAGE_SHARED ?? resolve(ROOT, '../shared'))

export const SHARED_DATASETS_PRESENT = existsSync(join(SHARED, 'datasets/it-service-tickets/split/train.csv')) && existsSync(join(SHARED, 'datasets/bueck-multilang-4k/split/test.csv'))
export const SHARED_MODELS_PRESENT = existsSync(join(resolve(process.env.TRIAGE_MODELS_DIR ?? join(SHARED, 'models')), 'use-lite-en', 'model.onnx'))

export const NO_SHARED_DATASETS = `needs the real datasets in ${join(SHARED, 'datasets')}: put the shared folder beside the checkout or set TRIAGE_SHARED`
export const NO_SHARED_MODELS = `needs the real models in ${process.env.TRIAGE_MODELS_DIR ?? join(SHARED, 'models')}: put the shared folder beside the checkout or set TRIAGE_MODELS_DIR`
