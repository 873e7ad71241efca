// TriageApi over the browser host's WebSocket bridge. The access token travels as the cookie the host
// set when the page was first opened with ?token=…, so this code never handles it. The socket
// reconnects with backoff; requests made while it is down wait (briefly) rather than fail at once.
import type { TriageApi } from '../../shared/contract.ts'
import { EngineError } from '../../shared/errors.ts'
import { isModelFile, splitPickedPath } from '../../shared/modelFiles.ts'
import { WireClient } from '../../shared/wireClient.ts'
import type { ConnectionState, TriageClient } from './triageClient.ts'

const MAX_BACKOFF_MS = 5_000

export function websocketClient(location: Location): TriageClient {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`
  let socket: WebSocket | null = null
  let state: ConnectionState = 'connecting'
  let attempts = 0
  let queued: string[] = []
  const listeners = new Set<(state: ConnectionState) => void>()

  const setState = (next: ConnectionState): void => {
    if (next === state) return
    state = next
    for (const listener of listeners) listener(next)
  }

  const wire = new WireClient((request) => {
    const text = JSON.stringify(request)
    if (socket?.readyState === WebSocket.OPEN) socket.send(text)
    else queued.push(text)
    return true
  })

  const connect = (): void => {
    setState('connecting')
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      attempts = 0
      setState('connected')
      const waiting = queued
      queued = []
      for (const text of waiting) ws.send(text)
    }
    ws.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return
      try {
        wire.receive(JSON.parse(event.data))
      } catch {
        // A malformed frame is the host's bug; dropping it beats breaking the page.
      }
    }
    ws.onclose = () => {
      if (socket !== ws) return
      socket = null
      setState('disconnected')
      wire.failAll('Lost the connection to Triage Desk. Is the host still running?')
      queued = []
      const delay = Math.min(250 * 2 ** attempts, MAX_BACKOFF_MS)
      attempts += 1
      setTimeout(connect, delay)
    }
  }
  connect()

  const api: TriageApi = {
    request: (method, params) => wire.request(method, params),
    onEvent: (event, listener) => wire.onEvent(event, listener),
    pickCsvFile: async (file) => {
      if (!file) return null
      const response = await fetch(`/upload?name=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        body: file,
        credentials: 'same-origin',
        headers: { 'content-type': 'application/octet-stream' }
      })
      if (!response.ok) throw new EngineError('FILE_NOT_FOUND', `Upload failed (${response.status}): ${await response.text()}`)
      const body = (await response.json()) as { path?: unknown }
      if (typeof body.path !== 'string') throw new EngineError('INTERNAL', 'The host did not return a file path for the upload.')
      return body.path
    },
    uploadModelFolder: async (files, onProgress) => {
      const picked = files.map((file) => ({ file, ...splitPickedPath(file.webkitRelativePath || file.name) })).filter((f) => isModelFile(f.path))
      if (!picked.some((f) => f.path.endsWith('.onnx'))) {
        throw new EngineError('MODEL_INVALID', 'That folder holds no .onnx file: a sentence-embedding model needs one (model.onnx or onnx/model.onnx), with its tokenizer.json.')
      }
      const post = async (url: string, body?: Blob): Promise<Record<string, unknown>> => {
        const response = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/octet-stream' }, ...(body ? { body } : {}) })
        if (!response.ok) throw new EngineError('FILE_NOT_FOUND', `Upload failed (${response.status}): ${await response.text()}`)
        return (await response.json()) as Record<string, unknown>
      }
      const begun = await post(`/upload-model/begin?name=${encodeURIComponent(picked[0]!.folder)}`)
      if (typeof begun.id !== 'string' || typeof begun.path !== 'string') throw new EngineError('INTERNAL', 'The host did not start the model upload.')
      const total = picked.reduce((sum, f) => sum + f.file.size, 0)
      let sent = 0
      onProgress?.(sent, total)
      for (const f of picked) {
        await post(`/upload-model/file?id=${encodeURIComponent(begun.id)}&path=${encodeURIComponent(f.path)}`, f.file)
        sent += f.file.size
        onProgress?.(sent, total)
      }
      return begun.path
    }
  }

  return {
    api,
    transport: 'browser',
    connection: () => state,
    onConnection: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
}
