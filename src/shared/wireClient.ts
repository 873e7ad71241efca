// The client half of the wire protocol, shared by preload (over a MessagePort) and the browser client
// (over a WebSocket), so that request/response matching and event dispatch are written once.
// Pure TypeScript: no DOM, no Node, no electron, so both bundles can include it.
import type { EngineErrorShape, EventMap, EventName, Method, Params, Result, WireMessage, WireRequest } from './contract.ts'
import { EngineError } from './errors.ts'

type Listener = (payload: never) => void

interface Pending {
  readonly resolve: (value: unknown) => void
  readonly reject: (reason: EngineError) => void
}

export class WireClient {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly listeners = new Map<EventName, Set<Listener>>()

  /** `send` returns false when the transport cannot take the message now; the request then fails at once. */
  constructor(private readonly send: (request: WireRequest) => boolean) {}

  request<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    const id = this.nextId++
    return new Promise<Result<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      if (!this.send({ id, method, params })) {
        this.pending.delete(id)
        reject(new EngineError('ENGINE_UNAVAILABLE', 'The engine is not connected. Try again in a moment.'))
      }
    })
  }

  onEvent<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    let set = this.listeners.get(event)
    if (!set) {
      set = new Set()
      this.listeners.set(event, set)
    }
    set.add(listener as Listener)
    return () => {
      set.delete(listener as Listener)
    }
  }

  /** Feed every message that arrives from the transport. Unknown shapes are ignored, not thrown. */
  receive(message: unknown): void {
    if (!isRecord(message)) return
    if (typeof message.event === 'string') {
      this.emit(message.event as EventName, message.payload)
      return
    }
    const wire = message as WireMessage
    if (!('id' in wire) || typeof wire.id !== 'number') return
    const pending = this.pending.get(wire.id)
    if (!pending) return
    this.pending.delete(wire.id)
    if (wire.ok) pending.resolve(wire.result)
    else pending.reject(EngineError.from(normaliseError(wire.error)))
  }

  /** The transport broke: nothing in flight will be answered, so fail it now rather than hang the UI. */
  failAll(reason: string): void {
    const error = new EngineError('ENGINE_UNAVAILABLE', reason)
    for (const pending of this.pending.values()) pending.reject(error)
    this.pending.clear()
  }

  /** Lets a host inject events of its own (engine.restarted) through the same listeners. */
  emit(event: EventName, payload: unknown): void {
    const set = this.listeners.get(event)
    if (!set) return
    for (const listener of [...set]) {
      try {
        ;(listener as (p: unknown) => void)(payload)
      } catch (err) {
        // One broken listener must not stop the others from hearing the event.
        console.error(`listener for ${event} failed`, err)
      }
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function normaliseError(error: unknown): EngineErrorShape {
  if (isRecord(error) && typeof error.code === 'string' && typeof error.message === 'string') {
    return error as unknown as EngineErrorShape
  }
  return { code: 'INTERNAL', message: 'The engine answered with an unreadable error.' }
}
