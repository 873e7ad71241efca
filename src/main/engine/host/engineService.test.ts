import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { WireMessage } from '../../../shared/contract.ts'
import { engineOptionsFromProcess } from './engineOptionsFromProcess.ts'
import { EngineService } from './engineService.ts'

const dir = mkdtempSync(join(tmpdir(), 'triage-service-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

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
    expect(a.got).toHaveLength(2)
    expect(a.got[0]).toMatchObject({ id: 7, ok: true })
    expect(a.got[1]).toMatchObject({ id: 8, ok: false, error: { code: 'BAD_REQUEST' } })
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

describe('engine options', () => {
  it('takes --db / --models first, then the database from the environment, never the models folder', () => {
    expect(engineOptionsFromProcess(['node', 'x', '--db', '/a.sqlite', '--models=/m'], {})).toEqual({ dbPath: '/a.sqlite', modelsDir: '/m' })
    expect(engineOptionsFromProcess([], { TRIAGE_DB_PATH: '/b.sqlite', TRIAGE_MODELS_DIR: '/shared' })).toEqual({ dbPath: '/b.sqlite' })
    expect(() => engineOptionsFromProcess([], {})).toThrow('no database path')
  })
})
