// Serves one engine to any number of peers (a window's MessagePort, the browser host's IPC channel):
// answers each peer's requests on that peer, and broadcasts engine events to all of them.
// Transport-agnostic so that the utilityProcess and the Node child host share every rule.
import type { EngineErrorShape, WireEvent, WireMessage, WireRequest, WireResponse } from '../../../shared/contract.ts'
import { toErrorShape } from '../../../shared/errors.ts'
import { badRequestAnswer, checkWireObject } from '../../../shared/wireGuard.ts'
import { createEngine, type Engine, type EngineOptions } from '../api/engine.ts'
import type { ChosenPaths } from './chosenPaths.ts'

export interface EnginePeer {
  post(message: WireMessage): void
}

export class EngineService {
  private readonly peers = new Set<EnginePeer>()
  private readonly engine: Engine | null
  /** Set when the engine could not open (e.g. DB_NEWER_THAN_APP): every request then gets this error
   * instead of the process crashing and the host restarting it in a loop. */
  private readonly startupError: EngineErrorShape | null

  /**
   * @param paths Where a host's pages may point the engine (PATH_METHODS); without it, every path the
   * request names is taken (the CLI and tests, run by the user).
   */
  constructor(
    options: EngineOptions,
    private readonly paths?: ChosenPaths
  ) {
    let engine: Engine | null = null
    let startupError: EngineErrorShape | null = null
    try {
      engine = createEngine(options)
      engine.onEvent((event) => this.broadcast(event))
    } catch (err) {
      startupError = toErrorShape(err)
      console.error(`engine failed to start: ${startupError.code}: ${startupError.message}`)
    }
    this.engine = engine
    this.startupError = startupError
  }

  attach(peer: EnginePeer): () => void {
    this.peers.add(peer)
    return () => {
      this.peers.delete(peer)
    }
  }

  async serve(peer: EnginePeer, data: unknown): Promise<void> {
    const inbound = checkWireObject(data)
    if (!inbound.ok) {
      peer.post(badRequestAnswer(inbound))
      return
    }
    peer.post(await this.answer(inbound.request))
  }

  /** Settles when the engine's worker threads have stopped (bounded by their own grace period). */
  close(): Promise<void> {
    this.peers.clear()
    return this.engine?.close() ?? Promise.resolve()
  }

  private async answer(request: WireRequest): Promise<WireResponse> {
    if (!this.engine) {
      return { id: request.id, ok: false, error: this.startupError ?? { code: 'ENGINE_UNAVAILABLE', message: 'The engine is not running.' } }
    }
    const refusal = this.paths?.refusal(request.method, request.params)
    if (refusal) return { id: request.id, ok: false, error: refusal }
    try {
      return await this.engine.handle(request)
    } catch (err) {
      // The router should answer errors itself; this only stops a bug from leaving a request unanswered.
      return { id: request.id, ok: false, error: toErrorShape(err) }
    }
  }

  private broadcast(event: WireEvent): void {
    for (const peer of this.peers) {
      try {
        peer.post(event)
      } catch (err) {
        console.error('engine host: could not post an event to a peer', err)
      }
    }
  }
}
