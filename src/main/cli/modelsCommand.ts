// `triage models`: the Models page's embedder controls for scripted installs (an IT department pushing a
// model to many desks): list, install a folder, remove, choose the embedder and the execution provider.
// Each is the engine request the page sends, so the checks and messages are the same.
import { settingsPatchSchema, type EventMap, type JobKind, type JobResults, type Settings, type WireEvent } from '../../shared/contract.ts'
import { EngineError } from '../../shared/errors.ts'
import type { JobProgress } from '../../shared/domain.ts'
import type { Engine } from '../engine/api/engine.ts'
import { printJson, table } from './output.ts'
import { UsageError } from './args.ts'

/** Read from the settings schema, so a provider added there is accepted here without a second list. */
export const PROVIDERS: readonly Settings['executionProvider'][] = settingsPatchSchema.shape.executionProvider.unwrap().options

const ACTIONS = ['list', 'install', 'remove', 'use', 'provider'] as const
const NEEDS: Readonly<Record<(typeof ACTIONS)[number], string | undefined>> = { list: undefined, install: 'a folder', remove: 'a model name', use: 'a model name, or auto', provider: PROVIDERS.join('|') }

/** The action and its argument, checked before any database is opened: a mistake is a usage error (exit 2). */
export function modelsAction(args: readonly string[]): { action: (typeof ACTIONS)[number]; arg?: string } {
  const [given = 'list', arg] = args
  const action = ACTIONS.find((a) => a === given)
  if (!action) throw new UsageError(`unknown models action "${given}": one of ${ACTIONS.join(', ')}`, 'models')
  const needs = NEEDS[action]
  if (needs && arg === undefined) throw new UsageError(`models ${action} needs ${needs}`, 'models')
  if (!needs && arg !== undefined) throw new UsageError(`unexpected argument "${arg}"`, 'models')
  if (action === 'provider' && !PROVIDERS.includes(arg as Settings['executionProvider'])) throw new UsageError(`unknown provider "${arg}": one of ${PROVIDERS.join(', ')}`, 'models')
  return arg === undefined ? { action } : { action, arg }
}

/**
 * Watches the engine's jobs of one kind from now on, printing their progress on stderr, and hands out how
 * each ended: that of a given job, or of the first one (for a job the engine starts by itself).
 */
function watchJobs(engine: Engine, kind: JobKind, label: string): { ended(jobId?: string): Promise<WireEvent>; stop(): void } {
  const ends: WireEvent[] = []
  let waiting: { jobId: string | undefined; settle: (e: WireEvent) => void } | undefined
  const jobOf = (e: WireEvent): string | undefined => (e.payload as { jobId?: string }).jobId
  const stop = engine.onEvent((e) => {
    const p = e.payload as Partial<JobProgress> & { jobId?: string; kind?: string }
    if (p.kind !== kind || !p.jobId) return
    if (e.event === 'job.progress' && p.percent !== undefined) process.stderr.write(`\r${label} ${p.phase ?? ''} ${p.percent}%   `)
    if (e.event !== 'job.done' && e.event !== 'job.failed') return
    if (waiting && (waiting.jobId === undefined || waiting.jobId === p.jobId)) waiting.settle(e)
    else ends.push(e)
  })
  return {
    async ended(jobId) {
      const end = ends.find((e) => jobId === undefined || jobOf(e) === jobId) ?? (await new Promise<WireEvent>((settle) => (waiting = { jobId, settle })))
      process.stderr.write('\n')
      return end
    },
    stop
  }
}

/**
 * Runs a request after which the engine may re-index the tickets (`reindexes` says whether it did), and
 * waits for that job: the command returns with every ticket embedded by the model now in use, rather
 * than leaving a job for the app to redo.
 */
async function withReindex<T>(engine: Engine, run: () => Promise<T>, reindexes: (result: T) => boolean = () => true): Promise<T> {
  const watch = watchJobs(engine, 'index', 're-indexing')
  try {
    const result = await run()
    if (reindexes(result)) {
      const end = await watch.ended()
      if (end.event === 'job.failed') throw new Error(`re-indexing failed: ${(end.payload as EventMap['job.failed']).error.message}`)
    }
    return result
  } finally {
    watch.stop()
  }
}

/** Starts an engine job and waits for its result; a failure throws its error. */
async function runJob<K extends JobKind>(engine: Engine, kind: K, start: () => Promise<{ readonly jobId: string }>): Promise<JobResults[K]> {
  const watch = watchJobs(engine, kind, kind)
  try {
    const end = await watch.ended((await start()).jobId)
    if (end.event === 'job.failed') throw EngineError.from((end.payload as EventMap['job.failed']).error)
    return (end.payload as { result: JobResults[K] }).result
  } finally {
    watch.stop()
  }
}

/** A settings patch; the engine re-indexes only when it changes the embedder or the provider. */
async function setModelSetting(engine: Engine, patch: Partial<Pick<Settings, 'embedder' | 'executionProvider'>>): Promise<Settings> {
  const before = await engine.call('settings.get', {})
  if (!Object.entries(patch).some(([k, v]) => before[k as keyof typeof patch] !== v)) return before
  return withReindex(engine, () => engine.call('settings.set', patch))
}

export async function modelsCommand(engine: Engine, args: readonly string[], options: { name?: string | undefined; prefix?: string | undefined; json: boolean }): Promise<number> {
  const { action, arg = '' } = modelsAction(args)
  const say = (message: string, value: unknown): number => {
    if (options.json) printJson(value)
    else console.log(message)
    return 0
  }
  switch (action) {
    case 'list': {
      const status = await engine.call('model.status', {})
      const settings = await engine.call('settings.get', {})
      if (options.json) {
        printJson({ ...status, chosenEmbedder: settings.embedder, chosenProvider: settings.executionProvider })
        return 0
      }
      console.log(`in use: ${status.activeEmbedder ?? 'none'}${status.provider ? ` on ${status.provider}` : ''} (chosen: embedder ${settings.embedder ?? 'auto'}, provider ${settings.executionProvider})`)
      const rows = status.embedders.map((e) => [
        e.name,
        `${e.dimension}-d`,
        e.installed ? 'installed' : 'not installed',
        e.removable ? 'data folder' : e.installed ? 'TRIAGE_MODELS_DIR' : '',
        `${e.known ? 'known' : 'from a folder'}, ${e.pooling}, ≤${e.maxTokens} tokens${e.textPrefix ? `, prefix "${e.textPrefix}"` : ''}, ${e.licence}`
      ])
      if (rows.length) console.log(table([['NAME', 'DIM', 'STATE', 'WHERE', 'ABOUT'], ...rows]))
      for (const note of status.providerNotes) console.log(`note: ${note}`)
      return 0
    }
    case 'install': {
      const request = { path: arg, ...(options.name ? { name: options.name } : {}), ...(options.prefix !== undefined ? { prefix: options.prefix } : {}) }
      const installed = await withReindex(engine, () => runJob(engine, 'install', () => engine.call('model.install', request)), (r) => r.inUse)
      return say(installed.message, installed)
    }
    case 'remove': {
      const name = arg
      const removed = await withReindex(engine, () => engine.call('model.remove', { name }))
      return say(removed.message, removed)
    }
    case 'use': {
      const name = arg
      const settings = await setModelSetting(engine, { embedder: name === 'auto' ? null : name })
      const status = await engine.call('model.status', {})
      return say(`Embedder: ${settings.embedder ?? 'auto (the default model first)'}; in use: ${status.activeEmbedder ?? 'none'}, every ticket indexed with it.`, { ...settings, activeEmbedder: status.activeEmbedder })
    }
    case 'provider': {
      const settings = await setModelSetting(engine, { executionProvider: arg as Settings['executionProvider'] })
      const status = await engine.call('model.status', {})
      return say(`Execution provider: ${settings.executionProvider}; in use: ${status.provider ?? 'none (no ONNX model loaded)'}.`, { ...settings, provider: status.provider })
    }
  }
}
