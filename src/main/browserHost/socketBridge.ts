// The WebSocket that stands in for Electron's MessagePort. It accepts exactly the contract's method
// names (the engine validates params), lets import requests name only files uploaded through this host,
// and broadcasts engine events to every connected page.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { requestSchemas, type WireMessage, type WireResponse } from '../../shared/contract.ts'
import type { AccessGuard } from './accessGuard.ts'

export interface BridgeBackend {
  request(method: string, params: unknown): Promise<WireResponse>
  /** Paths the upload endpoint issued; nothing else may be read by import.preview / import.start. */
  isIssuedPath(path: string): boolean
}

const METHODS: ReadonlySet<string> = new Set(Object.keys(requestSchemas))
const FILE_METHODS: ReadonlySet<string> = new Set(['import.preview', 'import.start'])
const MAX_MESSAGE_BYTES = 1024 * 1024

export class SocketBridge {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  private readonly clients = new Set<WebSocket>()

  constructor(
    private readonly guard: AccessGuard,
    private readonly backend: BridgeBackend
  ) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refusal = this.refusal(req)
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    this.server.handleUpgrade(req, socket, head, (ws) => this.connected(ws))
  }

  broadcast(message: WireMessage): void {
    const text = JSON.stringify(message)
    for (const ws of this.clients) if (ws.readyState === ws.OPEN) ws.send(text)
  }

  close(): void {
    for (const ws of this.clients) ws.close(1001, 'host shutting down')
    this.server.close()
  }

  private refusal(req: IncomingMessage): string | null {
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/ws') return '404 Not Found'
    if (!this.guard.hostAllowed(req)) return '403 Forbidden'
    // Browsers always send Origin on WebSocket handshakes; a missing one is not a page of ours.
    if (!this.guard.originAllowed(req, true)) return '403 Forbidden'
    if (!this.guard.tokenFrom(req)) return '401 Unauthorized'
    return null
  }

  private connected(ws: WebSocket): void {
    this.clients.add(ws)
    ws.on('close', () => this.clients.delete(ws))
    ws.on('message', (data, isBinary) => {
      if (isBinary) return
      void this.answer(ws, data.toString())
    })
  }

  private async answer(ws: WebSocket, text: string): Promise<void> {
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch {
      return
    }
    if (typeof message !== 'object' || message === null) return
    const { id, method, params } = message as Record<string, unknown>
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) return
    const reply = (response: WireResponse): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ ...response, id }))
    }
    if (typeof method !== 'string' || !METHODS.has(method)) {
      reply({ id, ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${String(method).slice(0, 100)}` } })
      return
    }
    if (FILE_METHODS.has(method) && !this.pathAllowed(params)) {
      reply({ id, ok: false, error: { code: 'FILE_NOT_FOUND', message: 'Choose the file in the app first; only uploaded files can be imported here.' } })
      return
    }
    reply(await this.backend.request(method, params ?? {}))
  }

  private pathAllowed(params: unknown): boolean {
    if (typeof params !== 'object' || params === null) return false
    const path = (params as Record<string, unknown>).path
    return typeof path === 'string' && this.backend.isIssuedPath(path)
  }
}
