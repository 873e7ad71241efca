import { readdirSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { WireEvent } from '../../../shared/contract.ts'
import { createEngine, type Engine } from '../api/engine.ts'
import { importWithFollowUp, jobEnded, nextEvent } from '../api/engineEvents.ts'
import { writeFixture } from '../ingest/nastyFixtures.ts'
import { tempDir } from '../similar/similarFixtures.ts'
import { activeStoredHead } from './modelsRepo.ts'
import { queueExportCsv } from './queueFixtures.ts'

// Two real databases side by side in one folder (their heads share `heads/`), trained with the built-in
// featuriser, driven through the engine's own requests and job events.
const open: Engine[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()))
})

function engineFor(dir: string, name: string): Engine {
  const engine = createEngine({ dbPath: join(dir, name), modelsDir: join(dir, 'no-models') })
  open.push(engine)
  return engine
}


async function train(engine: Engine, target: string): Promise<WireEvent> {
  const { jobId } = await engine.call('model.train', { target, embedder: 'none' })
  return nextEvent(engine, jobEnded(jobId))
}

describe('two databases in one folder', () => {
  it('each keeps its own trained head: training the second leaves the first predicting and doctor clean', async () => {
    const dir = tempDir('triage-two-dbs-')
    const a = engineFor(dir, 'a.sqlite')
    const b = engineFor(dir, 'b.sqlite')
    await importWithFollowUp(a, writeFixture(dir, 'a.csv', queueExportCsv(4)))
    await importWithFollowUp(b, writeFixture(dir, 'b.csv', queueExportCsv(5, 500)))
    expect((await train(a, 'queue')).event).toBe('job.done')
    expect((await train(b, 'queue')).event).toBe('job.done')

    const headA = activeStoredHead(a.db, 'queue')!
    const headB = activeStoredHead(b.db, 'queue')!
    // Both are "queue v1", yet each has its own files, named by content and private to the user.
    expect(headA.summary.version).toBe(headB.summary.version)
    expect(headA.file).not.toBe(headB.file)
    expect(headA.file).toBe(join(dir, 'heads', `queue-${headA.summary.sha256}.head`))
    const files = readdirSync(join(dir, 'heads'))
    expect(files.filter((f) => f.endsWith('.head'))).toHaveLength(2)
    expect(files.filter((f) => f.endsWith('.onnx'))).toHaveLength(2)
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false)
    if (process.platform !== 'win32') for (const f of files) expect(statSync(join(dir, 'heads', f)).mode & 0o777).toBe(0o600)

    const next = await importWithFollowUp(a, writeFixture(dir, 'c.csv', queueExportCsv(2, 2000)))
    expect(next.predicted).toBe(36)
    for (const engine of [a, b]) {
      const report = await engine.call('store.doctor', {})
      expect(report).toMatchObject({ ok: true, modelFiles: [], predictionGaps: [] })
    }
  })

  it('keeps reading a head stored under its old name, and doctor reports a missing or altered model file', async () => {
    const dir = tempDir('triage-old-heads-')
    let a = engineFor(dir, 'a.sqlite')
    await importWithFollowUp(a, writeFixture(dir, 'a.csv', queueExportCsv(4)))
    await train(a, 'queue')
    // As a database trained before heads were named by content: queue-v1.head and queue-v1.onnx.
    const head = activeStoredHead(a.db, 'queue')!
    const oldHead = join(dir, 'heads', 'queue-v1.head')
    const oldGraph = join(dir, 'heads', 'queue-v1.onnx')
    renameSync(head.file, oldHead)
    renameSync(head.graph!.path, oldGraph)
    a.db.prepare('UPDATE models SET files = ? WHERE id = ?').run(
      JSON.stringify([{ path: oldHead, bytes: 1, role: 'head' }, { path: oldGraph, bytes: 1, role: 'graph', sha256: head.graph!.sha256 }]),
      head.summary.id
    )
    await a.close()
    a = engineFor(dir, 'a.sqlite')
    expect((await importWithFollowUp(a, writeFixture(dir, 'b.csv', queueExportCsv(1, 900)))).predicted).toBe(18)
    expect(await a.call('store.doctor', {})).toMatchObject({ ok: true, modelFiles: [] })

    writeFileSync(oldGraph, 'not a graph')
    renameSync(oldHead, `${oldHead}.gone`)
    const report = await a.call('store.doctor', {})
    expect(report.ok).toBe(false)
    expect(report.modelFiles).toEqual([
      expect.objectContaining({ modelId: head.summary.id, role: 'head', path: oldHead, problem: 'missing', message: expect.stringMatching(/queue v1 \(active\).*is missing; train this target again/) }),
      expect.objectContaining({ modelId: head.summary.id, role: 'graph', path: oldGraph, problem: 'checksum' })
    ])
  })
})
