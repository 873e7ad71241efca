// Serves the built renderer (out/renderer) read-only. Paths are resolved and checked to stay inside
// the root, so `..` or encoded separators cannot reach other files.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, resolve, sep } from 'node:path'

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8'
}

/** Resolves a URL path to a file under root, or null when it would escape it. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '')
  const rootResolved = resolve(root)
  const full = resolve(rootResolved, relative)
  if (full !== rootResolved && !full.startsWith(rootResolved + sep)) return null
  return full
}

export async function serveStatic(root: string, urlPath: string, res: ServerResponse, headers: Readonly<Record<string, string>>): Promise<void> {
  const file = resolveStaticPath(root, urlPath)
  const info = file ? await stat(file).catch(() => null) : null
  if (!file || !info?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...headers })
    res.end('Not found')
    return
  }
  const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream'
  // Hashed assets never change; index.html must be re-read so a rebuild shows up on reload.
  const cache = file.endsWith('index.html') ? 'no-store' : 'max-age=31536000, immutable'
  res.writeHead(200, { 'content-type': type, 'content-length': String(info.size), 'cache-control': cache, ...headers })
  createReadStream(file).pipe(res)
}
