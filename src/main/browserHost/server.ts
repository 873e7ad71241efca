// The browser host: the built renderer over node:http on 127.0.0.1, a WebSocket bridge to the engine
// child, and a CSV upload endpoint. Used by Playwright and by `npm start` where Electron is absent.
import { randomBytes } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { createAccessGuard, type AccessGuard } from './accessGuard.ts'
import { ChosenPaths } from '../engine/host/chosenPaths.ts'
import { CsvUploads, UploadTooLarge } from './csvUpload.ts'
import { BadModelUpload, ModelUploads } from './modelUpload.ts'
import { EngineChild } from './engineChild.ts'
import { JobCleanup } from './jobCleanup.ts'
import { SocketBridge } from './socketBridge.ts'
import { serveStatic } from './staticFiles.ts'

export interface BrowserHostOptions {
  readonly dbPath: string
  readonly rendererDir: string
  readonly repoRoot: string
  /** 0 picks a free port. */
  readonly port: number
  readonly token?: string
  readonly modelsDir?: string
  /** Folders (besides the data folder) that model.install may read model folders from; default: TRIAGE_MODELS_DIR. */
  readonly modelSources?: readonly string[]
}

export interface BrowserHost {
  readonly url: string
  readonly port: number
  readonly engine: EngineChild
  close(): Promise<void>
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const dataDir = dirname(options.dbPath)
  const uploadsDir = join(dataDir, 'uploads')
  // Upload paths are only honoured within the launch that issued them, so earlier ones are dead weight.
  await rm(uploadsDir, { recursive: true, force: true })
  await mkdir(uploadsDir, { recursive: true, mode: 0o700 })
  const uploads = new CsvUploads(uploadsDir)
  const modelUploads = new ModelUploads(join(uploadsDir, 'models'))
  const token = options.token ?? randomBytes(24).toString('hex')
  const sharedModels = process.env.TRIAGE_MODELS_DIR
  const paths = new ChosenPaths([dataDir, ...(options.modelSources ?? (sharedModels ? [sharedModels] : []))])
  /** Uploads read by an import or install job are removed when the job ends (the engine has copied what it keeps). */
  const cleanups = new JobCleanup()

  let bridge: SocketBridge | null = null
  const engine = new EngineChild(
    { dbPath: options.dbPath, cwd: options.repoRoot, ...(options.modelsDir ? { modelsDir: options.modelsDir } : {}) },
    (event) => {
      bridge?.broadcast(event)
      if (event.event !== 'job.done' && event.event !== 'job.failed') return
      const jobId = (event.payload as { jobId?: unknown }).jobId
      if (typeof jobId === 'string') cleanups.jobEnded(jobId)
    }
  )

  let guard: AccessGuard | null = null
  const http = createServer((req, res) => {
    if (!guard) return refuse(res, 503, 'Starting')
    handleHttp(req, res, guard, { csv: uploads, models: modelUploads }, paths, options.rendererDir).catch((err: unknown) => {
      console.error('browser host: request failed', err)
      if (!res.headersSent) refuse(res, 500, 'Internal error')
      else res.destroy()
    })
  })
  // Loopback only: the token guards the door, but the door should not face the network at all.
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(options.port, '127.0.0.1', () => resolve())
  })
  const port = (http.address() as AddressInfo).port
  guard = createAccessGuard(token, port)
  const activeBridge = new SocketBridge(guard, {
    request: async (method, params) => {
      const answer = await engine.request(method, params)
      const path = (params as { path?: unknown }).path
      if (!answer.ok || typeof path !== 'string') return answer
      const jobId = (answer.result as { jobId: string }).jobId
      if (method === 'import.start' && uploads.isIssued(path)) {
        cleanups.whenEnded(jobId, () => {
          paths.forget(path)
          uploads.remove(path).catch((err: unknown) => console.error('browser host: could not remove an upload', err))
        })
      }
      const modelUpload = method === 'model.install' ? modelUploads.uploadOf(path) : undefined
      if (modelUpload !== undefined) {
        cleanups.whenEnded(jobId, () => {
          modelUploads.remove(modelUpload).catch((err: unknown) => console.error('browser host: could not remove a model upload', err))
        })
      }
      return answer
    },
    paths
  })
  bridge = activeBridge
  http.on('upgrade', (req, socket, head) => activeBridge.handleUpgrade(req, socket, head))
  engine.start()

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    engine,
    close: async () => {
      activeBridge.close()
      const engineStopped = engine.close()
      http.closeAllConnections()
      await Promise.all([engineStopped, new Promise<void>((resolve) => http.close(() => resolve()))])
    }
  }
}

async function handleHttp(
  req: IncomingMessage,
  res: ServerResponse,
  guard: AccessGuard,
  uploads: { csv: CsvUploads; models: ModelUploads },
  paths: ChosenPaths,
  rendererDir: string
): Promise<void> {
  if (!guard.hostAllowed(req)) return refuse(res, 403, 'Host not allowed')
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const via = guard.tokenFrom(req)

  if (req.method === 'POST' && (url.pathname === '/upload-model/begin' || url.pathname === '/upload-model/file')) {
    if (!guard.originAllowed(req, true) || !via) return refuse(res, 403, 'Forbidden')
    try {
      const answer =
        url.pathname === '/upload-model/begin'
          ? await uploads.models.begin(url.searchParams.get('name') ?? '')
          : await uploads.models.receive(req, url.searchParams.get('id') ?? '', url.searchParams.get('path') ?? '')
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...securityHeaders(guard) })
      res.end(JSON.stringify(answer))
    } catch (err) {
      if (err instanceof UploadTooLarge) return refuse(res, 413, err.message)
      if (err instanceof BadModelUpload) return refuse(res, 400, err.message)
      throw err
    }
    return
  }
  if (req.method === 'POST' && url.pathname === '/upload') {
    if (!guard.originAllowed(req, true) || !via) return refuse(res, 403, 'Forbidden')
    try {
      const stored = await uploads.csv.receive(req, url.searchParams.get('name') ?? 'upload.csv')
      paths.allowPath(stored.path)
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...securityHeaders(guard) })
      res.end(JSON.stringify(stored))
    } catch (err) {
      if (err instanceof UploadTooLarge) return refuse(res, 413, err.message)
      throw err
    }
    return
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed')
  if (!guard.originAllowed(req, false)) return refuse(res, 403, 'Origin not allowed')
  if (!via) return refuse(res, 401, 'Open the address printed by the host: it carries the access token.')
  if (via === 'query') {
    // Trade the token in the URL for a cookie and drop it from the address bar and history.
    url.searchParams.delete('token')
    res.writeHead(302, { location: url.pathname + url.search, 'set-cookie': guard.setCookieHeader(), ...securityHeaders(guard) })
    res.end()
    return
  }
  await serveStatic(rendererDir, url.pathname, res, securityHeaders(guard))
}

function securityHeaders(guard: AccessGuard): Record<string, string> {
  const port = guard.port
  return {
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'"
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin'
  }
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
  res.end(message)
}
