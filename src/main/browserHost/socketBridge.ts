// The WebSocket that stands in for Electron's MessagePort. It accepts exactly the contract's method
// names (the engine validates params), lets requests name only files uploaded through this host and model
// folders in the folders it allows,
// and broadcasts engine events to every connected page. Any page holding the token can send any bytes:
// a frame the socket cannot take (invalid UTF-8, over the size limit, binary) closes that socket only, a
// message that is not a request is answered BAD_REQUEST, and nothing a client sends can reach an
// unhandled error (which would take the whole host, and every other page, down).
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { requestSchemas, type WireMessage, type WireRejection, type WireResponse } from '../../shared/contract.ts'
import { toErrorShape } from '../../shared/errors.ts'
import { badRequestAnswer, parseWireText } from '../../shared/wireGuard.ts'
import type { ChosenPaths } from '../engine/host/chosenPaths.ts'
import type { AccessGuard } from './accessGuard.ts'

export interface BridgeBackend {
  request(method: string, params: unknown): Promise<WireResponse>
  /** What a page may name in import.preview / import.start / model.install: uploads and allowed folders. */
  readonly paths: ChosenPaths
}

const METHODS: ReadonlySet<string> = new Set(Object.keys(requestSchemas))
const MAX_MESSAGE_BYTES = 1024 * 1024
/** RFC 6455 close code for a data type the endpoint does not accept (we speak text frames only). */
const UNSUPPORTED_DATA = 1003

export class SocketBridge {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  private readonly clients = new Set<WebSocket>()

  constructor(
    private readonly guard: AccessGuard,
    private readonly backend: BridgeBackend
  ) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A reset during the handshake must not surface as an unhandled 'error' event.
    socket.on('error', () => socket.destroy())
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
    // ws reports frames it refuses (invalid UTF-8: 1007, over maxPayload: 1009, bad framing: 1002) as an
    // 'error' and closes the socket itself; without a listener that error would end the process.
    ws.on('error', (err) => console.error(`browser host: closed a socket: ${err.message.slice(0, 200)}`))
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.close(UNSUPPORTED_DATA, 'text frames only')
        return
      }
      this.answer(ws, data.toString()).catch((err: unknown) => {
        console.error('browser host: a request failed unanswered', err)
      })
    })
  }

  private async answer(ws: WebSocket, text: string): Promise<void> {
    const send = (message: WireResponse | WireRejection): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
    }
    const inbound = parseWireText(text)
    if (!inbound.ok) {
      send(badRequestAnswer(inbound))
      return
    }
    const { id, method, params } = inbound.request
    if (!METHODS.has(method)) {
      send({ id, ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${method.slice(0, 100)}` } })
      return
    }
    const refusal = this.backend.paths.refusal(method, params)
    if (refusal) {
      send({ id, ok: false, error: refusal })
      return
    }
    try {
      send({ ...(await this.backend.request(method, params)), id })
    } catch (err) {
      send({ id, ok: false, error: toErrorShape(err) })
    }
  }
}
