import { describe, expect, it } from 'vitest'
import type { WireRequest } from './contract.ts'
import { EngineError } from './errors.ts'
import { WireClient } from './wireClient.ts'

describe('WireClient', () => {
  it('matches responses to requests by id and rebuilds engine errors', async () => {
    const sent: WireRequest[] = []
    const client = new WireClient((r) => {
      sent.push(r)
      return true
    })
    const info = client.request('app.info', {})
    const missing = client.request('tickets.get', { id: 9 })
    expect(sent.map((r) => r.method)).toEqual(['app.info', 'tickets.get'])
    client.receive({ id: sent[1]!.id, ok: false, error: { code: 'NOT_FOUND', message: 'no ticket 9' } })
    client.receive({ id: sent[0]!.id, ok: true, result: { version: '1' } })
    await expect(info).resolves.toEqual({ version: '1' })
    const err = await missing.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(EngineError)
    expect((err as EngineError).code).toBe('NOT_FOUND')
  })

  it('fails at once when the transport refuses, and fails everything in flight on failAll', async () => {
    const refusing = new WireClient(() => false)
    await expect(refusing.request('app.info', {})).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE' })
    const client = new WireClient(() => true)
    const pending = client.request('store.stats', {})
    client.failAll('gone')
    await expect(pending).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE', message: 'gone' })
  })

  it('delivers events to listeners until they unsubscribe, and survives a throwing listener', () => {
    const client = new WireClient(() => true)
    const seen: string[] = []
    client.onEvent('data.changed', () => {
      throw new Error('broken listener')
    })
    const off = client.onEvent('data.changed', (p) => seen.push(p.what))
    client.receive({ event: 'data.changed', payload: { what: 'tickets' } })
    off()
    client.receive({ event: 'data.changed', payload: { what: 'imports' } })
    client.receive('garbage')
    client.receive({ id: 999, ok: true, result: 1 })
    expect(seen).toEqual(['tickets'])
  })
})
