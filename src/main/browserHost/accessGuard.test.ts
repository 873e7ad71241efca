import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { createAccessGuard, readCookie } from './accessGuard.ts'

function request(url: string, headers: Record<string, string>): IncomingMessage {
  return { url, headers } as unknown as IncomingMessage
}

describe('access guard', () => {
  const guard = createAccessGuard('secret-token', 4000)

  it('accepts only this server in Host (DNS rebinding names another host)', () => {
    expect(guard.hostAllowed(request('/', { host: '127.0.0.1:4000' }))).toBe(true)
    expect(guard.hostAllowed(request('/', { host: 'localhost:4000' }))).toBe(true)
    expect(guard.hostAllowed(request('/', { host: 'evil.example:4000' }))).toBe(false)
    expect(guard.hostAllowed(request('/', { host: '127.0.0.1:4001' }))).toBe(false)
    expect(guard.hostAllowed(request('/', {}))).toBe(false)
  })

  it('requires a matching Origin where asked, and rejects foreign ones always', () => {
    expect(guard.originAllowed(request('/', {}), false)).toBe(true)
    expect(guard.originAllowed(request('/', {}), true)).toBe(false)
    expect(guard.originAllowed(request('/', { origin: 'http://127.0.0.1:4000' }), true)).toBe(true)
    expect(guard.originAllowed(request('/', { origin: 'http://evil.example' }), false)).toBe(false)
    expect(guard.originAllowed(request('/', { origin: 'null' }), false)).toBe(false)
  })

  it('finds the token in the query or in the per-port cookie, nowhere else', () => {
    expect(guard.tokenFrom(request('/?token=secret-token', {}))).toBe('query')
    expect(guard.tokenFrom(request('/', { cookie: 'a=b; triage_token_4000=secret-token' }))).toBe('cookie')
    expect(guard.tokenFrom(request('/', { cookie: 'triage_token_4001=secret-token' }))).toBeNull()
    expect(guard.tokenFrom(request('/?token=secret-tokex', {}))).toBeNull()
    expect(guard.tokenFrom(request('/?token=secret', {}))).toBeNull()
    expect(guard.tokenFrom(request('/', {}))).toBeNull()
  })

  it('sets an HttpOnly, SameSite=Strict cookie', () => {
    expect(guard.setCookieHeader()).toBe('triage_token_4000=secret-token; Path=/; HttpOnly; SameSite=Strict')
  })

  it('reads cookies by exact name', () => {
    expect(readCookie('x_token=1; token=2', 'token')).toBe('2')
    expect(readCookie(undefined, 'token')).toBeNull()
  })
})
