// Who may talk to the browser host. It binds to loopback only, but any local process or web page
// the user visits can reach loopback, so every HTTP and WebSocket request must also carry the
// per-launch token (query or cookie, like Jupyter) and name this server in Host and Origin, which
// defeats DNS rebinding and cross-site pages.
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export interface AccessGuard {
  readonly token: string
  readonly port: number
  readonly cookieName: string
  /** Host header is exactly this server (127.0.0.1 / localhost with our port). */
  hostAllowed(req: IncomingMessage): boolean
  /** Origin is absent (plain navigation) or this server. `required` for WebSocket and POST. */
  originAllowed(req: IncomingMessage, required: boolean): boolean
  /** The request carries the token in `?token=` or the cookie. */
  tokenFrom(req: IncomingMessage): 'query' | 'cookie' | null
  setCookieHeader(): string
}

export function createAccessGuard(token: string, port: number): AccessGuard {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const origins = new Set([...hosts].map((host) => `http://${host}`))
  // Cookies are not port-scoped: name it by port so two hosts on one machine do not overwrite each other.
  const cookieName = `triage_token_${port}`
  const expected = Buffer.from(token)

  const matches = (candidate: string | null | undefined): boolean => {
    if (!candidate) return false
    const given = Buffer.from(candidate)
    return given.length === expected.length && timingSafeEqual(given, expected)
  }

  return {
    token,
    port,
    cookieName,
    hostAllowed: (req) => hosts.has(req.headers.host ?? ''),
    originAllowed: (req, required) => {
      const origin = req.headers.origin
      if (origin === undefined) return !required
      return origins.has(origin)
    },
    tokenFrom: (req) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      if (matches(url.searchParams.get('token'))) return 'query'
      if (matches(readCookie(req.headers.cookie, cookieName))) return 'cookie'
      return null
    },
    setCookieHeader: () => `${cookieName}=${token}; Path=/; HttpOnly; SameSite=Strict`
  }
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return null
}
