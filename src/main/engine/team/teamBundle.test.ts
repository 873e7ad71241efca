// Team bundles (no database needed): a lead's file of models, thresholds and decisions applied on an
// agent's desktop with the same code and conflict rule as a sync pull.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../api/engine.ts'
import { jobEnded, nextEvent } from '../api/engineEvents.ts'
import { fixtureTickets } from '../fixtureTickets.ts'
import { openCsv } from '../ingest/csvSource.ts'
import { importCsv } from '../ingest/importCsv.ts'
import { activeStoredHead } from '../predict/modelsRepo.ts'
import { exportBundle, importBundle } from './teamBundle.ts'
import { teamStatus } from './teamStatus.ts'

const dir = mkdtempSync(join(tmpdir(), 'triage-bundle-'))
const engines: Engine[] = []
afterAll(async () => {
  for (const e of engines) await e.close()
  rmSync(dir, { recursive: true, force: true })
})

const quote = (v: string): string => `"${v.replaceAll('"', '""')}"`
const csv = ['id,subject,body,queue', ...fixtureTickets(90).map((t, i) => [`B-${i}`, t.subject, t.body, t.queue].map(quote).join(','))].join('\n') + '\n'
writeFileSync(join(dir, 'export.csv'), csv)

async function desktop(name: string): Promise<{ engine: Engine; path: string }> {
  const path = join(dir, `${name}.sqlite`)
  const engine = createEngine({ dbPath: path, predictMissingAtStart: false })
  engines.push(engine)
  await importCsv(engine.db, await openCsv(join(dir, 'export.csv')))
  return { engine, path }
}
const idOf = (e: Engine, ext: string): number => (e.db.prepare('SELECT id FROM tickets WHERE external_id = ?').get(ext) as { id: number }).id
const labelOf = (e: Engine, ext: string): string =>
  (e.db.prepare("SELECT l.value FROM labels l JOIN tickets t ON t.id = l.ticket_id WHERE t.external_id = ? AND l.target = 'queue' AND l.current = 1").get(ext) as { value: string }).value

describe('team bundle', () => {
  it('carries a lead\'s model, thresholds and decisions to an air-gapped desktop, once, with the conflict rule', async () => {
    const lead = await desktop('lead')
    let jobId = ''
    const trained = nextEvent(lead.engine, (e) => jobEnded(jobId)(e))
    jobId = (await lead.engine.call('model.train', { target: 'queue', embedder: 'none' })).jobId
    expect((await trained).event).toBe('job.done')
    const head = activeStoredHead(lead.engine.db, 'queue')!
    await lead.engine.call('model.thresholdsApply', { modelId: head.summary.id, global: 0.81 })

    const agent = await desktop('agent')
    // The agent decided B-1 on its own before the lead's bundle came.
    await agent.engine.call('review.decide', { ticketId: idOf(agent.engine, 'B-1'), target: 'queue', label: 'Agent Guess' })
    await lead.engine.call('review.decide', { ticketId: idOf(lead.engine, 'B-1'), target: 'queue', label: 'Lead Call' })
    await lead.engine.call('review.decide', { ticketId: idOf(lead.engine, 'B-2'), target: 'queue', label: 'Lead Call 2' })

    const file = join(dir, 'team.bundle')
    expect(exportBundle(lead.engine.db, file)).toMatchObject({ decisions: 2, models: 1, activations: 1, thresholds: 1 })
    expect(importBundle(agent.engine.db, agent.path, file)).toEqual({ decisions: 2, models: 1, activations: 1, thresholds: 1, conflicts: 1 })
    expect([labelOf(agent.engine, 'B-1'), labelOf(agent.engine, 'B-2')]).toEqual(['Lead Call', 'Lead Call 2'])
    const pulled = activeStoredHead(agent.engine.db, 'queue')!
    expect(pulled.summary.sha256).toBe(head.summary.sha256)
    expect(pulled.summary.thresholds.global).toBe(0.81)
    // Its head file names tickets by the lead's row ids: marked, so that they are not read as the agent's.
    expect(pulled.params.foreignTicketIds).toBe(true)
    expect(head.params.foreignTicketIds).toBeUndefined()
    // The agent's own decision lost and is kept, superseded, where its author sees it.
    expect(teamStatus(agent.engine.db).superseded).toEqual([expect.objectContaining({ externalId: 'B-1', yours: 'Agent Guess', winner: 'Lead Call' })])

    // Applying the same bundle again changes nothing; a bundle of decisions since tomorrow holds none.
    expect(importBundle(agent.engine.db, agent.path, file)).toEqual({ decisions: 0, models: 0, activations: 1, thresholds: 1, conflicts: 0 })
    expect(agent.engine.db.prepare('SELECT COUNT(*) AS n FROM reviews').get()).toEqual({ n: 3 })
    expect(exportBundle(lead.engine.db, join(dir, 'later.bundle'), new Date(Date.now() + 86_400_000).toISOString()).decisions).toBe(0)
  })

  it('refuses a file that is not a bundle', async () => {
    const d = await desktop('other')
    writeFileSync(join(dir, 'not.bundle'), '{"format":"something else"}')
    expect(() => importBundle(d.engine.db, d.path, join(dir, 'not.bundle'))).toThrow(/not a team bundle/)
  })
})
