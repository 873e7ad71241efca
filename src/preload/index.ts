// Sandboxed preload (built as CommonJS): exposes exactly one object, `window.triage`, and keeps the
// MessagePort to the engine to itself. Requests are answered by id; events fan out to listeners.
import { contextBridge, ipcRenderer } from 'electron'
import type { EngineErrorShape, Method, Params, TriageApi, WireRequest } from '../shared/contract.ts'
import { WireClient } from '../shared/wireClient.ts'

interface PortMessage {
  readonly restarted?: { readonly reason: string; readonly at: string }
}

let port: MessagePort | null = null
/** Requests made before main hands over the first port (the page starts faster than the engine). */
let queued: WireRequest[] = []

const client = new WireClient((request) => {
  if (port) port.postMessage(request)
  else queued.push(request)
  return true
})

ipcRenderer.on('triage:port', (event, message: PortMessage) => {
  const next = event.ports[0]
  if (!next) return
  if (port) {
    // The old engine is gone; whatever it was answering will never come back.
    port.close()
    client.failAll('The engine restarted while answering; try again.')
  }
  port = next
  port.onmessage = (e: MessageEvent) => client.receive(e.data)
  port.start()
  const waiting = queued
  queued = []
  for (const request of waiting) port.postMessage(request)
  if (message?.restarted) client.emit('engine.restarted', message.restarted)
})
ipcRenderer.send('triage:connect')

// contextBridge copies Error objects without their custom fields, so errors cross as plain
// `{ code, message, details }` shapes; the renderer's client turns them back into EngineError.
function plainError(err: unknown): EngineErrorShape {
  if (typeof err === 'object' && err !== null && 'code' in err && 'message' in err) {
    const { code, message, details } = err as EngineErrorShape
    return details ? { code, message, details } : { code, message }
  }
  return { code: 'INTERNAL', message: String(err) }
}

const api: TriageApi = {
  request: <M extends Method>(method: M, params: Params<M>) =>
    client.request(method, params).catch((err: unknown) => Promise.reject(plainError(err))),
  onEvent: (event, listener) => client.onEvent(event, listener),
  pickCsvFile: async () => (await ipcRenderer.invoke('triage:pick-csv')) as string | null,
  pickModelFolder: async () => (await ipcRenderer.invoke('triage:pick-model-folder')) as string | null
}

contextBridge.exposeInMainWorld('triage', api)
