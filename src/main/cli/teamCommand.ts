// `triage team …`: set up a team database, join or leave it, sync, see the status, add members; and
// `triage review decide`, so a decision can be scripted. Sync and status run through the engine's own
// requests (team.sync, team.status), as in the app.
import { resolve } from 'node:path'
import { createEngine, type Engine } from '../engine/api/engine.ts'
import { defaultDbPath } from '../engine/dataDir.ts'
import { predictionGaps } from '../engine/predict/predictionGaps.ts'
import { addMember, initTeam, type MemberKind } from '../engine/team/teamAdmin.ts'
import { readTeamConfig } from '../engine/team/teamConfig.ts'
import { joinTeam, leaveTeam } from '../engine/team/teamJoin.ts'
import { exportBundle, importBundle } from '../engine/team/teamBundle.ts'
import type { TeamStatus } from '../../shared/team.ts'
import { intArg, UsageError } from './args.ts'
import { printJson, printLine } from './output.ts'
import { repairPredictions } from './storeCommands.ts'

type Values = Readonly<Record<string, string | boolean | string[] | undefined>>

export const TEAM_ACTIONS = ['init', 'join', 'sync', 'status', 'leave', 'member', 'export', 'import'] as const

/** Checks the command line, then runs the action; only actions that need a desktop open its database. */
export async function teamCommand(v: Values, positionals: readonly string[]): Promise<number> {
  const [action, ...args] = positionals
  const url = v.url as string | undefined
  const json = v.json === true
  if (!(TEAM_ACTIONS as readonly string[]).includes(action ?? '')) throw new UsageError(`ACTION must be one of ${TEAM_ACTIONS.join(', ')}${action ? `, not "${action}"` : ''}`, 'team')
  const extra = action === 'member' ? 2 : action === 'export' || action === 'import' ? 1 : 0
  if (args.length > extra) throw new UsageError(`unexpected argument "${args[extra]}"`, 'team')
  if ((action === 'export' || action === 'import') && !args[0]) throw new UsageError(`team ${action} needs a FILE (the bundle)`, 'team')
  const since = v.since as string | undefined
  if (since !== undefined && (action !== 'export' || Number.isNaN(Date.parse(since)))) {
    throw new UsageError(action === 'export' ? `--since must be a date such as 2026-11-01, not "${since}"` : '--since goes with team export', 'team')
  }
  if ((action === 'init' || action === 'join') && !url) throw new UsageError(`team ${action} needs --url postgres://ROLE@HOST:PORT/DATABASE`, 'team')
  if (action !== 'member' && (v.agent || v.lead)) throw new UsageError('--agent and --lead go with team member add', 'team')
  if (action !== 'init' && action !== 'join' && action !== 'member' && url) throw new UsageError(`team ${action} takes no --url (it uses the one team join stored)`, 'team')
  const dbPath = resolve((v.db as string | undefined) ?? defaultDbPath())

  if (action === 'init') {
    if (v.db !== undefined) throw new UsageError('team init sets up the team database only; join a desktop with team join --db', 'team')
    const r = await initTeam(url!)
    if (json) printJson(r)
    else printLine(r.applied.length ? `Team database ready (team schema ${r.version}; applied ${r.applied.join(', ')}).` : `Team database already at team schema ${r.version}; nothing to do.`)
    return 0
  }
  if (action === 'member') {
    const [sub, role] = args
    if (sub !== 'add') throw new UsageError(`team member takes "add ROLE --agent|--lead"${sub ? `, not "${sub}"` : ''}`, 'team')
    if (!role) throw new UsageError('missing ROLE (an existing PostgreSQL login role)', 'team')
    if (v.agent === v.lead) throw new UsageError('give exactly one of --agent or --lead', 'team')
    const kind: MemberKind = v.lead ? 'lead' : 'agent'
    const memberUrl = url ?? withDesktop(dbPath, (engine) => readTeamConfig(engine.db)?.url)
    if (!memberUrl) throw new UsageError('give --url, or run it on a desktop that has joined (--db)', 'team')
    const r = await addMember(memberUrl, role, kind, dbPath)
    if (json) printJson(r)
    else printLine(`${r.role} is now a team ${r.kind}.`)
    return 0
  }

  const engine = createEngine({ dbPath, predictMissingAtStart: false })
  try {
    switch (action) {
      case 'join': {
        const r = await joinTeam(engine.db, dbPath, url!)
        if (json) printJson(r)
        else {
          printLine(`Joined the team at ${r.url} as ${r.role} (${r.lead ? 'lead' : 'agent'}).`)
          if (r.passwordFile) printLine(`The password is kept in ${r.passwordFile} (readable by you only), not in the database.`)
          printLine('Run triage team sync to bring the team\'s tickets, decisions and models.')
        }
        return 0
      }
      case 'leave': {
        const r = leaveTeam(engine.db, dbPath)
        if (json) printJson(r)
        else printLine(r.left ? 'Left the team: its connection and password file are gone; the tickets and decisions stay here.' : 'This desktop was in no team.')
        return 0
      }
      case 'status': {
        const s = await engine.call('team.status', {})
        if (json) printJson(s)
        else printStatus(s)
        return 0
      }
      case 'export': {
        const r = exportBundle(engine.db, resolve(args[0]!), since === undefined ? undefined : new Date(since).toISOString())
        if (json) printJson(r)
        else printLine(`Wrote ${args[0]}: ${r.decisions} decisions, ${r.models} model versions, ${r.activations} active, ${r.thresholds} threshold sets.`)
        return 0
      }
      case 'import': {
        const r = importBundle(engine.db, dbPath, resolve(args[0]!))
        // What the bundle activated gets its predictions now, as after a sync round.
        const predicted = predictionGaps(engine.db).length > 0 ? (await repairPredictions(engine)).predicted : 0
        if (json) printJson({ ...r, predicted })
        else printLine(`Applied ${args[0]}: ${r.decisions} decisions (${r.conflicts} conflicts), ${r.models} model versions, ${r.activations} activations, ${r.thresholds} threshold sets; predicted ${predicted} tickets.`)
        return 0
      }
      default:
        return await syncCommand(engine, json)
    }
  } finally {
    await engine.close()
  }
}

function withDesktop<T>(dbPath: string, read: (engine: Engine) => T): T {
  const engine = createEngine({ dbPath, predictMissingAtStart: false })
  try {
    return read(engine)
  } finally {
    void engine.close()
  }
}

async function syncCommand(engine: Engine, json: boolean): Promise<number> {
  const r = await engine.call('team.sync', {})
  // What the round brought gets its predictions now, as an import's tickets do (the app runs it as a job).
  const predicted = predictionGaps(engine.db).length > 0 && r.pulled > 0 ? (await repairPredictions(engine)).predicted : 0
  if (json) printJson({ ...r, predicted })
  else {
    const k = r.byKind
    printLine(`pushed ${r.pushed} (tickets ${k.pushed.tickets}, decisions ${k.pushed.decisions}, models ${k.pushed.models}, activations ${k.pushed.activations}, thresholds ${k.pushed.thresholds})`)
    printLine(`pulled ${r.pulled} (tickets ${k.pulled.tickets}, decisions ${k.pulled.decisions}, models ${k.pulled.models}, activations ${k.pulled.activations}, thresholds ${k.pulled.thresholds})`)
    if (r.conflicts) printLine(`conflicts ${r.conflicts}: the decision later in the team's order won; the other is kept as superseded (triage team status)`)
    if (predicted) printLine(`predicted ${predicted} tickets`)
  }
  if (r.refused) process.stderr.write(`triage: the team database refused ${r.refused} decision${r.refused > 1 ? 's' : ''} from this role (agents cannot decide for the team); they stay on this desktop.\n`)
  return 0
}

function printStatus(t: TeamStatus): void {
  if (!t.joined) {
    printLine('Not in a team (triage team join --url URL).')
    return
  }
  printLine(`team       ${t.url} as ${t.role} (${t.lead ? 'lead' : 'agent'})`)
  printLine(`state      ${t.offlineSince ? `offline since ${t.offlineSince}: ${t.lastError ?? ''}` : 'online at the last sync'}`)
  printLine(`last sync  ${t.lastSyncAt ?? 'never'}`)
  printLine(`to push    ${t.toPush.tickets} tickets, ${t.toPush.decisions} decisions`)
  for (const d of t.superseded) printLine(`superseded ${d.externalId} ${d.target}: yours "${d.yours}" (${d.at}) lost to "${d.winner}" by ${d.winnerBy}`)
}

/** `triage review decide --id N --target T [--label L]`: the app's review.decide, by the same engine request. */
export async function reviewCommand(v: Values, positionals: readonly string[]): Promise<number> {
  if (positionals[0] !== 'decide') throw new UsageError(`review takes the action "decide"${positionals[0] ? `, not "${positionals[0]}"` : ''}`, 'review')
  const ticketId = intArg('--id', v.id as string | undefined, 1, Number.MAX_SAFE_INTEGER, 'review')
  if (ticketId === undefined) throw new UsageError('--id N is required (the ticket\'s id, see triage tickets)', 'review')
  const target = v.target as string | undefined
  if (!target) throw new UsageError('--target T is required (a label target, e.g. queue)', 'review')
  const label = v.label as string | undefined
  if (label !== undefined && label.trim() === '') throw new UsageError('--label needs a value (or leave it out to accept the prediction)', 'review')
  const engine = createEngine({ dbPath: resolve((v.db as string | undefined) ?? defaultDbPath()), predictMissingAtStart: false })
  try {
    const r = await engine.call('review.decide', { ticketId, target, ...(label !== undefined ? { label } : {}) })
    if (v.json === true) printJson(r)
    else printLine(`${r.externalId ?? ticketId} ${target}: ${r.action} ${r.from ?? '(none)'} → ${r.to}`)
    return 0
  } finally {
    await engine.close()
  }
}
