// The browser host end to end at the protocol level: who gets in, what is forwarded, what is not.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import WebSocket from 'ws'
import type { WireMessage } from '../../shared/contract.ts'
import { startBrowserHost, type BrowserHost } from './server.ts'

const ROOT = resolve(import.meta.dirname, '../../..')
const TOKEN = 'unit-test-token'
let dir: string
let host: BrowserHost
let origin: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'triage-host-test-'))
  const rendererDir = join(dir, 'renderer')
  mkdirSync(rendererDir)
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>')
  host = await startBrowserHost({ dbPath: join(dir, 'data', 'triage.sqlite'), rendererDir, repoRoot: ROOT, port: 0, token: TOKEN })
  origin = `http://127.0.0.1:${host.port}`
})

afterAll(async () => {
  await host.close()
  rmSync(dir, { recursive: true, force: true })
})

function openSocket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolveSocket, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { headers })
    ws.once('open', () => resolveSocket(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

function ask(ws: WebSocket, id: number, method: string, params: unknown): Promise<WireMessage> {
  return new Promise((resolveAnswer) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as WireMessage
      if ('id' in message && message.id === id) {
        ws.off('message', onMessage)
        resolveAnswer(message)
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ id, method, params }))
  })
}

const cookie = () => `triage_token_${host.port}=${TOKEN}`

describe('browser host', () => {
  it('serves the page only with the token, trading the query token for a cookie', async () => {
    expect((await fetch(`${origin}/`)).status).toBe(401)
    const first = await fetch(`${origin}/?token=${TOKEN}`, { redirect: 'manual' })
    expect(first.status).toBe(302)
    expect(first.headers.get('set-cookie')).toContain('HttpOnly')
    const page = await fetch(`${origin}/`, { headers: { cookie: cookie() } })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
  })

  it('refuses WebSocket handshakes without token or from another origin', async () => {
    await expect(openSocket({ origin })).rejects.toThrow('HTTP 401')
    await expect(openSocket({ origin: 'http://evil.example', cookie: cookie() })).rejects.toThrow('HTTP 403')
    await expect(openSocket({ cookie: cookie() })).rejects.toThrow('HTTP 403')
  })

  it('forwards contract methods, refuses others, and only imports uploaded files', async () => {
    const ws = await openSocket({ origin, cookie: cookie() })
    try {
      const info = await ask(ws, 1, 'app.info', {})
      expect(info).toMatchObject({ id: 1, ok: true, result: { dbPath: join(dir, 'data', 'triage.sqlite') } })
      expect(await ask(ws, 2, 'fs.readFile', {})).toMatchObject({ id: 2, ok: false, error: { code: 'UNKNOWN_METHOD' } })
      expect(await ask(ws, 3, 'import.preview', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } })
      expect(await ask(ws, 4, 'tickets.page', { limit: 100000 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })

      const upload = await fetch(`${origin}/upload?name=${encodeURIComponent('../tickets.csv')}`, {
        method: 'POST',
        headers: { origin, cookie: cookie() },
        body: 'id,subject,body\nA-1,Printer jam,The printer jams\n'
      })
      expect(upload.status).toBe(200)
      const { path } = (await upload.json()) as { path: string }
      expect(path.startsWith(join(dir, 'data', 'uploads'))).toBe(true)
      expect(path.endsWith('/tickets.csv')).toBe(true)
      const preview = await ask(ws, 5, 'import.preview', { path })
      expect(preview).toMatchObject({ ok: true, result: { headers: ['id', 'subject', 'body'] } })
    } finally {
      ws.close()
    }
  })

  it('survives hostile frames from a page holding the token: each closes that socket only or is answered BAD_REQUEST', async () => {
    const closedWith = async (send: (ws: WebSocket) => void): Promise<number> => {
      const ws = await openSocket({ origin, cookie: cookie() })
      ws.on('error', () => {})
      const code = new Promise<number>((resolveCode) => ws.once('close', (c) => resolveCode(c)))
      send(ws)
      return code
    }
    expect(await closedWith((ws) => ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false }))).toBe(1007)
    expect(await closedWith((ws) => ws.send(JSON.stringify({ id: 1, method: 'app.info', params: { x: 'a'.repeat(2 << 20) } })))).toBe(1009)
    expect(await closedWith((ws) => ws.send(Buffer.from([1, 2, 3]), { binary: true }))).toBe(1003)

    const ws = await openSocket({ origin, cookie: cookie() })
    try {
      const next = () => new Promise<WireMessage>((resolveAnswer) => ws.once('message', (d) => resolveAnswer(JSON.parse(d.toString()) as WireMessage)))
      const deep = '{"id":3,"method":"app.info","params":' + '['.repeat(200_000) + ']'.repeat(200_000) + '}'
      let answer = next()
      ws.send(deep)
      expect(await answer).toMatchObject({ id: 3, ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/nested/) } })
      for (const junk of ['this is not json', '[1,2]', '{"method":"app.info"}', '{"id":"7","method":"app.info"}', 'null']) {
        answer = next()
        ws.send(junk)
        expect(await answer).toMatchObject({ id: null, ok: false, error: { code: 'BAD_REQUEST' } })
      }
      answer = next()
      ws.send('{"id":4,"method":"app.info","params":[]}')
      expect(await answer).toMatchObject({ id: 4, ok: false, error: { code: 'BAD_REQUEST' } })
      expect(await ask(ws, 5, 'app.info', {})).toMatchObject({ id: 5, ok: true })
    } finally {
      ws.close()
    }
  })

  it('answers every text frame exactly once, whatever it holds (fuzzed)', async () => {
    const ws = await openSocket({ origin, cookie: cookie() })
    const answers: WireMessage[] = []
    let arrived: (() => void) | null = null
    ws.on('message', (d) => {
      const message = JSON.parse(d.toString()) as WireMessage
      if ('event' in message) return
      answers.push(message)
      arrived?.()
    })
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string({ unit: 'binary' }),
            fc.jsonValue().map((v) => JSON.stringify(v)),
            fc.record({ id: fc.integer({ min: 1, max: 1e9 }), method: fc.constantFrom('app.info', 'tickets.page', 'tickets.get', 'review.audit', 'nope'), params: fc.jsonValue() }).map((v) => JSON.stringify(v))
          ),
          async (frame) => {
            answers.length = 0
            const got = new Promise<void>((resolveArrived) => (arrived = resolveArrived))
            ws.send(frame)
            await got
            expect(answers).toHaveLength(1)
            const answer = answers[0]!
            if (!('ok' in answer) || !answer.ok) expect(answer).toMatchObject({ ok: false, error: { code: expect.any(String) } })
          }
        ),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 150) }
      )
      expect(host.engine.pid).toBeDefined()
    } finally {
      ws.close()
    }
  })

  it('reads model folders only inside the allowed folders, and removes an upload once its import ends', async () => {
    const ws = await openSocket({ origin, cookie: cookie() })
    try {
      const outside = await ask(ws, 20, 'model.install', { path: tmpdir() })
      expect(outside).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND', message: expect.stringMatching(/install only from the data folder/) } })
      // A link inside the data folder is followed to where it leads, and that is outside.
      symlinkSync(tmpdir(), join(dir, 'data', 'escape'))
      expect(await ask(ws, 21, 'model.install', { path: join(dir, 'data', 'escape') })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/install only/) } })
      // Inside the data folder the request reaches the engine, whose install job then finds no model there.
      expect(await ask(ws, 22, 'model.install', { path: join(dir, 'data', 'no-such-model') })).toMatchObject({ ok: true, result: { jobId: expect.any(String) } })

      const upload = await fetch(`${origin}/upload?name=t.csv`, { method: 'POST', headers: { origin, cookie: cookie() }, body: 'id,subject,body\nU-1,VPN drops,every hour\n' })
      const { path } = (await upload.json()) as { path: string }
      const ended = new Promise<void>((resolveEnded) => {
        ws.on('message', (data) => {
          const message = JSON.parse(data.toString()) as { event?: string; payload?: { kind?: string } }
          if ((message.event === 'job.done' || message.event === 'job.failed') && message.payload?.kind === 'import') resolveEnded()
        })
      })
      expect(await ask(ws, 23, 'import.start', { path })).toMatchObject({ ok: true })
      await ended
      await expect.poll(() => existsSync(path)).toBe(false)
      expect(await ask(ws, 24, 'import.preview', { path })).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } })
    } finally {
      ws.close()
    }
  })

  it('takes a model folder as an upload of its model files only, and removes it once its install ends', async () => {
    const post = (path: string, body?: string) => fetch(`${origin}${path}`, { method: 'POST', headers: { origin, cookie: cookie() }, ...(body !== undefined ? { body } : {}) })
    expect((await post('/upload-model/begin?name=..')).status).toBe(400)
    const begun = (await (await post('/upload-model/begin?name=my-model')).json()) as { id: string; path: string }
    expect(begun.path.startsWith(join(dir, 'data', 'uploads'))).toBe(true)
    for (const bad of ['../escape.onnx', 'onnx/../../x.onnx', 'pytorch_model.bin', '/etc/x.onnx', 'a/b/c.onnx']) {
      expect((await post(`/upload-model/file?id=${begun.id}&path=${encodeURIComponent(bad)}`, 'x')).status).toBe(400)
    }
    expect((await post(`/upload-model/file?id=not-an-id&path=model.onnx`, 'x')).status).toBe(400)
    expect((await post(`/upload-model/file?id=${begun.id}&path=model.onnx`, 'not a model')).status).toBe(200)
    expect((await post(`/upload-model/file?id=${begun.id}&path=tokenizer.json`, '{}')).status).toBe(200)
    expect(existsSync(join(begun.path, 'model.onnx'))).toBe(true)

    const ws = await openSocket({ origin, cookie: cookie() })
    try {
      const ended = new Promise<void>((resolveEnded) => {
        ws.on('message', (data) => {
          const message = JSON.parse(data.toString()) as { event?: string; payload?: { kind?: string } }
          if ((message.event === 'job.done' || message.event === 'job.failed') && message.payload?.kind === 'install') resolveEnded()
        })
      })
      expect(await ask(ws, 30, 'model.install', { path: begun.path })).toMatchObject({ ok: true })
      await ended
      await expect.poll(() => existsSync(begun.path)).toBe(false)
    } finally {
      ws.close()
    }
  })

  it('refuses uploads from another origin', async () => {
    const upload = await fetch(`${origin}/upload?name=x.csv`, { method: 'POST', headers: { origin: 'http://evil.example', cookie: cookie() }, body: 'a' })
    expect(upload.status).toBe(403)
  })

  it('restarts a crashed engine and tells every client', async () => {
    const ws = await openSocket({ origin, cookie: cookie() })
    try {
      const restarted = new Promise<unknown>((resolveEvent) => {
        ws.on('message', (data) => {
          const message = JSON.parse(data.toString()) as { event?: string; payload?: unknown }
          if (message.event === 'engine.restarted') resolveEvent(message.payload)
        })
      })
      process.kill(host.engine.pid!, 'SIGKILL')
      expect(await restarted).toMatchObject({ reason: 'engine stopped by signal SIGKILL' })
      expect(await ask(ws, 10, 'store.stats', {})).toMatchObject({ ok: true })
    } finally {
      ws.close()
    }
  })
})
