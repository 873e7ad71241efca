import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixtureDir } from '../ingest/nastyFixtures.ts'
import { downloadFile } from './downloadModels.ts'

// A local server standing in for the model host, honouring Range requests like Hugging Face's CDN.
const payload = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251))
const sha = createHash('sha256').update(payload).digest('hex')
let url = ''
const server = createServer((req, res) => {
  const range = /bytes=(\d+)-/.exec(req.headers.range ?? '')
  if (range) {
    res.writeHead(206, { 'content-length': payload.length - Number(range[1]) })
    res.end(payload.subarray(Number(range[1])))
  } else {
    res.writeHead(200, { 'content-length': payload.length })
    res.end(payload)
  }
})
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/model.onnx`
})
afterAll(() => server.close())

describe('model download', () => {
  it('resumes a partial file, verifies the checksum and reports progress', async () => {
    const dir = fixtureDir()
    writeFileSync(join(dir, 'model.onnx.part'), payload.subarray(0, 40_000))
    const seen: number[] = []
    const result = await downloadFile({ role: 'model', path: 'model.onnx', bytes: payload.length, sha256: sha, url }, dir, (done) => seen.push(done))
    expect(result).toBe('downloaded')
    expect(readFileSync(join(dir, 'model.onnx')).equals(payload)).toBe(true)
    expect(seen[0]).toBeGreaterThan(40_000)
    expect(seen.at(-1)).toBe(payload.length)
    expect(await downloadFile({ role: 'model', path: 'model.onnx', bytes: payload.length, sha256: sha, url }, dir, () => {})).toBe('present')
  })

  it('discards a file whose checksum does not match, and names the host when it cannot be reached', async () => {
    const dir = fixtureDir()
    const wrong = 'f'.repeat(64)
    await expect(downloadFile({ role: 'model', path: 'model.onnx', bytes: payload.length, sha256: wrong, url }, dir, () => {})).rejects.toThrow(/does not match/)
    expect(existsSync(join(dir, 'model.onnx'))).toBe(false)
    expect(existsSync(join(dir, 'model.onnx.part'))).toBe(false)
    await expect(
      downloadFile({ role: 'model', path: 'model.onnx', bytes: 1, sha256: wrong, url: 'http://127.0.0.1:9/model.onnx' }, dir, () => {})
    ).rejects.toThrow(/cannot reach 127.0.0.1:9/)
  })
})
