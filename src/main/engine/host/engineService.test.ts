import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ERROR_CODES, requestSchemas, type Method, type WireMessage } from '../../../shared/contract.ts'
import { engineOptionsFromProcess } from './engineOptionsFromProcess.ts'
import { ChosenPaths } from './chosenPaths.ts'
import { EngineService } from './engineService.ts'

const dir = mkdtempSync(join(tmpdir(), 'triage-service-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Requests that start jobs (imports, training, installs, indexing) are left out: random params that happen
 * to validate would start real work on whatever they name. */
const JOB_METHODS: ReadonlySet<string> = new Set(['import.start', 'model.train', 'model.install', 'model.remove', 'similar.index'])

function deep(levels: number): unknown {
  let value: unknown = {}
  for (let i = 0; i < levels; i++) value = { x: value }
  return value
}

function peer() {
  const got: WireMessage[] = []
  return { got, post: (m: WireMessage) => got.push(m) }
}

describe('EngineService', () => {
  it('answers on the asking peer and refuses malformed requests with their id', async () => {
    const service = new EngineService({ dbPath: join(dir, 'ok.sqlite') })
    const a = peer()
    const b = peer()
    service.attach(a)
    service.attach(b)
    await service.serve(a, { id: 7, method: 'app.info', params: {} })
    await service.serve(a, { id: 8, method: 42 })
    await service.serve(a, 'not a request')
    await service.serve(a, [{ id: 9, method: 'app.info' }])
    await service.serve(a, { id: 10, method: 'app.info', params: deep(10_000) })
    expect(a.got).toHaveLength(5)
    expect(a.got[0]).toMatchObject({ id: 7, ok: true })
    expect(a.got[1]).toMatchObject({ id: 8, ok: false, error: { code: 'BAD_REQUEST' } })
    // No usable id: JSON-RPC's null id, so the sender hears why instead of waiting.
    expect(a.got[2]).toMatchObject({ id: null, ok: false, error: { code: 'BAD_REQUEST' } })
    expect(a.got[3]).toMatchObject({ id: null, ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/not an array/) } })
    expect(a.got[4]).toMatchObject({ id: 10, ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/nested/) } })
    expect(b.got).toHaveLength(0)
    service.close()
  })

  it('keeps answering with the start-up error when the database cannot open, instead of crashing', async () => {
    const service = new EngineService({ dbPath: dir })
    const a = peer()
    await service.serve(a, { id: 1, method: 'app.info', params: {} })
    expect(a.got[0]).toMatchObject({ id: 1, ok: false })
    service.close()
  })
})

describe('chosen paths', () => {
  it('lets a host\'s pages name only the files the user chose, and model folders inside allowed folders', async () => {
    const chosen = new ChosenPaths([join(dir, 'sources')])
    const service = new EngineService({ dbPath: join(dir, 'paths.sqlite') }, chosen)
    const a = peer()
    const csv = join(dir, 'chosen.csv')
    writeFileSync(csv, 'id,subject,body\n1,VPN,drops\n')
    await service.serve(a, { id: 1, method: 'import.preview', params: { path: csv } })
    expect(a.got[0]).toMatchObject({ id: 1, ok: false, error: { code: 'FILE_NOT_FOUND', message: expect.stringMatching(/Choose the file in the app first/) } })
    chosen.allowPath(csv)
    await service.serve(a, { id: 2, method: 'import.preview', params: { path: csv } })
    expect(a.got[1]).toMatchObject({ id: 2, ok: true, result: { headers: ['id', 'subject', 'body'] } })
    // An allowed folder is for model installs, not for reading any CSV inside it.
    expect(chosen.refusal('import.preview', { path: join(dir, 'sources', 'x.csv') })).not.toBeNull()
    expect(chosen.refusal('model.install', { path: join(dir, 'sources', 'model') })).toBeNull()
    expect(chosen.refusal('model.install', { path: join(dir, 'sources', '..', 'elsewhere') })).not.toBeNull()
    expect(chosen.refusal('tickets.page', {})).toBeNull()
    await service.close()
  })
})

describe('request validator, fuzzed', () => {
  // Every method with random params, and random junk: exactly one answer to each message (a result, or one
  // of the contract's error codes and never INTERNAL), no throw, no crash.
  const readOnly = (Object.keys(requestSchemas) as Method[]).filter((m) => !JOB_METHODS.has(m))
  it('answers any JSON with a result or a contract error code', async () => {
    const service = new EngineService({ dbPath: join(dir, 'fuzz.sqlite') })
    const a = peer()
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ id: fc.integer({ min: 1, max: 1e9 }), method: fc.constantFrom(...readOnly), params: fc.jsonValue() }),
          fc.record({ id: fc.integer({ min: 1, max: 1e9 }), method: fc.constantFrom(...readOnly), params: fc.dictionary(fc.string(), fc.jsonValue()) }),
          fc.jsonValue()
        ),
        async (message) => {
          a.got.length = 0
          await service.serve(a, message)
          expect(a.got).toHaveLength(1)
          for (const answer of a.got) {
            if ('event' in answer || answer.ok) continue
            expect(ERROR_CODES).toContain(answer.error.code)
            expect(answer.error.code).not.toBe('INTERNAL')
          }
        }
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) }
    )
    await service.close()
  })
})

describe('engine options', () => {
  it('takes --db / --models first, then the database from the environment, never the models folder', () => {
    expect(engineOptionsFromProcess(['node', 'x', '--db', '/a.sqlite', '--models=/m'], {})).toEqual({ dbPath: '/a.sqlite', modelsDir: '/m' })
    expect(engineOptionsFromProcess([], { TRIAGE_DB_PATH: '/b.sqlite', TRIAGE_MODELS_DIR: '/shared' })).toEqual({ dbPath: '/b.sqlite' })
    expect(() => engineOptionsFromProcess([], {})).toThrow('no database path')
  })
})
