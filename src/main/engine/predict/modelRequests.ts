// The engine's model requests: status, versions, training as a job, activation (and restore), removing
// an installed embedder, and thresholds from a target precision, previewed before they are applied.
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { ModelStatus, ModelSummary, ThresholdPreview } from '../../../shared/models.ts'
import { EngineError } from '../../../shared/errors.ts'
import { availableManifests, knownManifests, resolveModelDir } from '../inference/modelManifest.ts'
import { deriveThresholds } from '../learn/thresholds.ts'
import { floorDerived, leadThresholds, REVIEW_FLOOR } from '../learn/thresholdFloor.ts'
import { listInstalledEmbedders } from '../inference/embedder.ts'
import { isSharedModelsDir, removableFolder } from '../inference/removeModel.ts'
import { activeEmbedder, reloadEmbedders } from '../similar/similarState.ts'
import type { Db } from '../store/database.ts'
import { readSettings, writeSettings } from '../store/settingsRepo.ts'
import { activateHead, getHead, listHeads, updateThresholds } from './modelsRepo.ts'
import { predictAll } from './predictTickets.ts'
import { reflagPredictions, reviewPolicy } from './predictionWriter.ts'

export function headsDir(dbPath: string): string {
  return join(dirname(dbPath), 'heads')
}

export async function modelStatus(db: Db, modelsDir: string | undefined): Promise<ModelStatus> {
  const embedder = await activeEmbedder(db).catch(() => null)
  const known = new Set(knownManifests().map((m) => m.name))
  return {
    embedders: availableManifests(modelsDir).map((m) => ({
      name: m.name,
      displayName: known.has(m.name) ? shortDisplayName(m.displayName) : m.name,
      dimension: m.dimension,
      installed: resolveModelDir(m, modelsDir) !== undefined,
      removable: modelsDir !== undefined && !isSharedModelsDir(modelsDir) && existsSync(join(modelsDir, m.name)),
      known: known.has(m.name),
      licence: m.licence,
      pooling: m.pooling,
      maxTokens: m.maxTokens,
      ...(m.textPrefix ? { textPrefix: m.textPrefix } : {})
    })),
    activeEmbedder: embedder?.name ?? null,
    provider: embedder?.provider ?? null,
    providerNotes: embedder?.notes ?? [],
    heads: listHeads(db).map((h) => h.summary)
  }
}

/**
 * Removes an installed embedder from the data folder. Refused while an active model needs it for its
 * predictions; the loaded sessions are released first (queued runs finish), a setting that names it goes
 * back to automatic, and the caller re-indexes with whichever embedder comes next.
 */
export async function removeEmbedder(db: Db, name: string, modelsDir: string): Promise<{ name: string; message: string }> {
  const needing = listHeads(db).filter((h) => h.summary.active && h.summary.embedder === name)
  if (needing.length) {
    const which = needing.map((h) => `${h.summary.target} v${h.summary.version}`).join(', ')
    throw new EngineError('CONFLICT', `The active model${needing.length > 1 ? 's' : ''} ${which} predict${needing.length > 1 ? '' : 's'} with ${name}: train with another embedder, or restore a version that does not use it, first.`)
  }
  const folder = removableFolder(name, modelsDir)
  if (readSettings(db).embedder === name) writeSettings(db, { embedder: null })
  await reloadEmbedders(db)
  await rm(folder, { recursive: true, force: true })
  const still = listInstalledEmbedders(modelsDir).some((e) => e.name === name)
  return {
    name,
    message: still
      ? `Removed ${name} from ${modelsDir}; a copy under TRIAGE_MODELS_DIR is still installed.`
      : `Removed ${name}. Similar tickets are re-indexed with the next embedder; older model versions trained with it can no longer predict new tickets.`
  }
}

export async function activateModel(db: Db, modelId: number): Promise<ModelSummary> {
  const head = activateHead(db, modelId)
  await predictAll(db, head, readSettings(db).reviewSampleRate)
  return head.summary
}

export function previewThresholds(db: Db, modelId: number, precision: number): ThresholdPreview {
  const head = getHead(db, modelId)
  const v = head.params.validation
  if (v.truth.length === 0) throw new EngineError('BAD_REQUEST', `Model ${modelId} has no held-out tickets to set thresholds from; train with more labelled tickets.`)
  const raw = deriveThresholds(Int32Array.from(v.predicted), Float32Array.from(v.confidence), Int32Array.from(v.truth), head.summary.classes, precision)
  // Previewed as they would be applied: with the floor, so that "Apply" never routes a 38 % guess.
  const t = floorDerived(raw.global, Object.fromEntries(Object.entries(raw.perClass).map(([k, x]) => [k, x.threshold])))
  const perClass = t.perClass
  // Coverage and precision of the per-queue thresholds together, as they would be applied.
  let kept = 0
  let right = 0
  v.predicted.forEach((p, i) => {
    const label = head.summary.classes[p]!
    if (v.confidence[i]! >= (perClass[label] ?? t.global)) {
      kept++
      if (p === v.truth[i]) right++
    }
  })
  return {
    precision,
    global: t.global,
    perClass,
    coverage: kept / v.truth.length,
    measuredPrecision: kept === 0 ? 1 : right / kept,
    floor: t.floor ?? REVIEW_FLOOR,
    floored: t.floored ?? {},
    ...(t.globalFloored !== undefined ? { globalFloored: t.globalFloored } : {})
  }
}

/**
 * A lead's thresholds: each value stands, one below the floor included (recorded as deliberate, so it is
 * not raised again when read). With `precision`, the one they were previewed at, the queues the floor
 * raised are remembered as such for the precision–coverage view.
 */
export function applyThresholds(db: Db, modelId: number, global: number, perClass: Readonly<Record<string, number>>, precision?: number): ModelSummary {
  const derived = precision === undefined ? undefined : previewThresholds(db, modelId, precision)
  const thresholds = leadThresholds(global, perClass, derived)
  const head = updateThresholds(db, modelId, thresholds)
  reflagPredictions(db, modelId, reviewPolicy(head.summary.thresholds, readSettings(db).reviewSampleRate))
  return head.summary
}

/**
 * "all-MiniLM-L6-v2 (dynamic int8, per-channel)" → "all-MiniLM-L6-v2 (int8)": the name a person knows, and
 * the one word that tells two builds of it apart; the rest of the detail belongs to the model list.
 */
export function shortDisplayName(displayName: string): string {
  const detail = /\(([^)]*)\)\s*$/.exec(displayName)?.[1] ?? ''
  const base = displayName.replace(/\s*\([^)]*\)\s*$/, '')
  const build = /\bint8\b/i.test(detail) ? 'int8' : /\bfp32\b/i.test(detail) ? 'fp32' : null
  return build ? `${base} (${build})` : base
}
