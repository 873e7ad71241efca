// CLI commands over the store: imports, rejected rows, tickets, stats (read-only), and doctor, whose
// --repair predicts the tickets the active models lack.
import type { EventMap, JobDone, Params } from '../../shared/contract.ts'
import type { PredictionFill } from '../../shared/models.ts'
import type { Engine } from '../engine/api/engine.ts'
import { jobEnded, nextEvent } from '../engine/api/engineEvents.ts'
import { EngineError } from '../../shared/errors.ts'
import { oneLine, printJson, printLine, table } from './output.ts'

export async function importsCommand(engine: Engine, json: boolean): Promise<number> {
  const imports = await engine.call('imports.list', {})
  if (json) printJson({ imports })
  else
    console.log(
      table([
        ['id', 'file', 'status', 'read', 'imported', 'updated', 'duplicate', 'rejected', 'started'],
        ...imports.map((i) => [String(i.importId), i.fileName, i.status, String(i.read), String(i.imported), String(i.updated), String(i.duplicate), String(i.rejected), i.startedAt])
      ])
    )
  return 0
}

export async function errorsCommand(engine: Engine, importId: number, json: boolean): Promise<number> {
  if (!Number.isInteger(importId) || importId <= 0) throw new Error('errors needs an import id: triage errors 3 (see triage imports)')
  const all = []
  for (let offset = 0; ; offset += 1000) {
    const page = await engine.call('imports.errors', { importId, offset, limit: 1000 })
    all.push(...page.rows)
    if (page.rows.length < 1000) break
  }
  if (json) printJson({ importId, total: all.length, errors: all })
  else if (all.length === 0) console.log(`Import ${importId} rejected no rows.`)
  else console.log(table([['line', 'column', 'reason', 'raw'], ...all.map((e) => [String(e.line), e.column ?? '', e.reason, oneLine(e.raw, 80)])]))
  return 0
}

/** Lists one page of tickets; the query is checked by the command line (ticketQuery.ts). */
export async function ticketsCommand(engine: Engine, query: Params<'tickets.page'>, json: boolean): Promise<number> {
  const page = await engine.call('tickets.page', query)
  if (json) {
    printJson(page)
    return 0
  }
  console.log(`${page.total} tickets`)
  console.log(
    table([
      ['id', 'external id', 'created', 'labels', 'text'],
      ...page.rows.map((r) => [String(r.id), oneLine(r.externalId, 24), r.created?.slice(0, 10) ?? '', oneLine(Object.values(r.labels).join(', '), 30), oneLine(r.subject || r.snippet, 70)])
    ])
  )
  return 0
}

export async function statsCommand(engine: Engine, json: boolean): Promise<number> {
  const s = await engine.call('store.stats', {})
  if (json) printJson(s)
  else {
    console.log(`tickets ${s.tickets}  imports ${s.imports}  rejected rows ${s.rejected}`)
    // Label values come from the imported CSV: cleaned like any ticket text.
    for (const t of s.targets) printLine(`${t.target}: ${t.values.slice(0, 12).map((v) => `${v.value} ${v.count}`).join(', ')}${t.values.length > 12 ? ', …' : ''}`)
  }
  return 0
}

export async function doctorCommand(engine: Engine, json: boolean, repair = false): Promise<number> {
  const repaired = repair ? await repairPredictions(engine) : undefined
  const d = await engine.call('store.doctor', {})
  // Loads the active embedder, so the execution provider shown is the one really in use.
  const models = await engine.call('model.status', {})
  if (json) printJson({ ...d, models, ...(repaired ? { repaired } : {}) })
  else {
    console.log(`database   ${d.dbPath} (schema ${d.schemaVersion}, ${d.tickets} tickets)`)
    console.log(`integrity  ${d.integrity}`)
    for (const [k, v] of Object.entries(d.versions)) console.log(`${k.padEnd(10)} ${v}`)
    console.log(`embedder   ${models.activeEmbedder ?? 'none'}${models.provider ? ` on ${models.provider}` : ''}`)
    for (const e of models.embedders) console.log(`  ${e.installed ? '✓' : '·'} ${e.name} (${e.dimension}-d)${e.installed ? '' : ' not installed'}`)
    for (const note of models.providerNotes) console.log(`  note: ${note}`)
    for (const h of models.heads.filter((x) => x.active)) {
      console.log(`model      ${h.target} v${h.version}: accuracy ${h.metrics.accuracy.toFixed(3)} on ${h.metrics.validationRows} held-out tickets, ${h.classes.length} classes`)
    }
    console.log(`files      ${d.modelFiles.length === 0 ? 'every model file matches its sha256' : `${d.modelFiles.length} problem${d.modelFiles.length > 1 ? 's' : ''}`}`)
    for (const p of d.modelFiles) console.log(`  ${p.message}`)
    if (repaired) console.log(`repaired   predicted ${repaired.predicted} tickets${repaired.targets.length ? ` (${repaired.targets.map((t) => `${t.target} v${t.version}: ${t.predicted}`).join(', ')})` : ''}`)
    console.log(`predicted  ${d.predictionGaps.length === 0 ? 'every ticket has a current prediction from each active model' : 'some tickets lack a current prediction; triage doctor --repair predicts them'}`)
    for (const g of d.predictionGaps) console.log(`  ${g.target} v${g.version}: ${g.missing} never predicted, ${g.outdated} changed since they were predicted`)
  }
  return d.ok ? 0 : 1
}

/** Runs the engine's repair job (predicting what the active models lack) and waits for it to end. */
export async function repairPredictions(engine: Engine): Promise<PredictionFill> {
  let jobId: string | undefined
  const ended = nextEvent(engine, (e) => jobId !== undefined && jobEnded(jobId)(e))
  jobId = (await engine.call('store.repair', {})).jobId
  const end = await ended
  if (end.event === 'job.failed') {
    const { error } = end.payload as EventMap['job.failed']
    throw new EngineError(error.code, `repair: ${error.message}`, error.details)
  }
  return (end.payload as Extract<JobDone, { kind: 'predict' }>).result
}
