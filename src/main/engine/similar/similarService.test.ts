import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EngineError } from '../../../shared/errors.ts'
import { openDatabase, type Db } from '../store/database.ts'
import { afterImportSimilar } from './afterImport.ts'
import { TFIDF_EMBEDDER } from './hashedTfidf.ts'
import { BUECK_TEST_CSV, csvSlice, importFile, tempDir, writeCsv } from './similarFixtures.ts'
import { modelsForTests } from '../inference/testEncoder.ts'
import { indexTickets, similarTickets } from './similarService.ts'
import { releaseSimilar } from './similarState.ts'
import { ticketText } from './ticketEmbedder.ts'

// The real models where they are (their default embedder), else the test encoder, the only one installed.
const models = modelsForTests()
process.env.TRIAGE_MODELS_DIR = models.dir
const DEFAULT_EMBEDDER = models.defaultEmbedder

interface TicketRow {
  id: number
  subject: string
  body: string
  duplicate_of: number | null
  duplicate_score: number | null
}

const ticketById = (db: Db, id: number): TicketRow =>
  db.prepare('SELECT id, subject, body, duplicate_of, duplicate_score FROM tickets WHERE id = ?').get(id) as TicketRow
const vectorRows = (db: Db, embedder: string): Map<number, Buffer> =>
  new Map(
    (db.prepare('SELECT ticket_id, vector FROM embeddings WHERE embedder = ?').all(embedder) as { ticket_id: number; vector: Buffer }[]).map(
      (r) => [r.ticket_id, r.vector]
    )
  )

async function expectEngineError(promise: Promise<unknown>, code: string): Promise<EngineError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(EngineError)
  expect((err as EngineError).code).toBe(code)
  return err as EngineError
}

describe('similar tickets with the default embedder on real tickets', () => {
  const dir = tempDir()
  const { header, records } = csvSlice(BUECK_TEST_CSV, 200)
  const first = records.slice(0, 150)
  const original = first[5]!
  let db: Db

  beforeAll(async () => {
    db = openDatabase(join(dir, 'triage.sqlite'))
    const summary = await importFile(db, writeCsv(join(dir, 'first.csv'), header, first))
    expect(summary.imported).toBe(150)
    const similar = await afterImportSimilar(db, summary.importId)
    expect(similar).toMatchObject({ embedder: DEFAULT_EMBEDDER, indexed: 150, cancelled: false })
  })
  afterAll(async () => {
    await releaseSimilar(db)
    db.close()
  })

  it("finds a ticket first, with score ≈ 1, when queried with its own text", async () => {
    const t = ticketById(db, 6)
    const result = await similarTickets(db, { text: ticketText(t.subject, t.body) }, 5)
    expect(result.embedder).toBe(DEFAULT_EMBEDDER)
    expect(result.hits).toHaveLength(5)
    expect(result.hits[0]).toMatchObject({ ticketId: 6, subject: t.subject })
    // Not 1: the int8 model quantises activations per batch, so the same text embedded alone (the query)
    // and inside a batch of 150 (the index) differs by ~0.01 in cosine. The fp32 model agrees to 1e-8.
    expect(result.hits[0]!.score).toBeGreaterThan(0.97)
    expect(result.hits[1]!.score).toBeLessThan(result.hits[0]!.score - 0.05)
  })

  it('answers by ticket id without the ticket itself, best first, with labels, snippet and origin', async () => {
    const result = await similarTickets(db, { ticketId: 6 }, 10, 'queue')
    expect(result.hits).toHaveLength(10)
    expect(result.hits.map((h) => h.ticketId)).not.toContain(6)
    const scores = result.hits.map((h) => h.score)
    expect([...scores].sort((a, b) => b - a)).toEqual(scores)
    for (const h of result.hits) {
      expect(h.label).toBe(h.labels['queue'])
      expect(h.origin).toBe('import')
      expect(h.snippet.length).toBeGreaterThan(0)
      expect(ticketById(db, h.ticketId).body.startsWith(h.snippet)).toBe(true)
    }
    // The int8 scan + re-rank gives the exact scan's neighbours.
    const exact = await similarTickets(db, { ticketId: 6 }, 10, 'queue', { exact: true })
    expect(exact.hits.map((h) => h.ticketId)).toEqual(result.hits.map((h) => h.ticketId))
    // Sensible neighbours: the nearest tickets share the query's queue more often than chance.
    const queue = (db.prepare("SELECT value FROM labels WHERE ticket_id = 6 AND target = 'queue' AND current = 1").get() as { value: string }).value
    const sameQueue = db.prepare("SELECT count(*) AS n FROM labels WHERE target = 'queue' AND current = 1 AND value = ?").get(queue) as { n: number }
    const share = result.hits.filter((h) => h.label === queue).length / result.hits.length
    expect(share).toBeGreaterThan(sameQueue.n / 150)
  })

  it('says NOT_FOUND for an unknown ticket', async () => {
    await expectEngineError(similarTickets(db, { ticketId: 99_999 }, 5), 'NOT_FOUND')
  })

  it('keeps vectors in the database and reloads them without embedding again', async () => {
    expect(vectorRows(db, DEFAULT_EMBEDDER).size).toBe(150)
    const before = await similarTickets(db, { ticketId: 20 }, 5)
    await releaseSimilar(db) // forget the in-memory index and the model, as after a restart
    const again = await indexTickets(db)
    expect(again).toMatchObject({ embedder: DEFAULT_EMBEDDER, indexed: 0, total: 150 })
    const after = await similarTickets(db, { ticketId: 20 }, 5)
    expect(after.hits).toEqual(before.hits)
  })

  it('indexes only the new tickets of a second import and links a near-identical re-import to its original', async () => {
    const existing = vectorRows(db, DEFAULT_EMBEDDER)
    const nearCopy = [...original]
    nearCopy[1] = `${original[1]!.replace(/\.\s*$/, '')}. Thank you!` // same body, a closing line added
    const exactCopy = first[7]! // already imported: a duplicate, not a new ticket
    const second = [...records.slice(150, 200), nearCopy, exactCopy]
    const summary = await importFile(db, writeCsv(join(dir, 'second.csv'), header, second))
    expect(summary).toMatchObject({ imported: 51, duplicate: 1 })

    const progress: number[] = []
    const similar = await afterImportSimilar(db, summary.importId, { onProgress: (p) => progress.push(p.rows) })
    // Only the 51 new tickets were embedded; the 150 vectors from before are the same bytes.
    expect(similar.indexed).toBe(51)
    expect(progress.at(-1)).toBe(51)
    const now = vectorRows(db, DEFAULT_EMBEDDER)
    expect(now.size).toBe(201)
    for (const [id, blob] of existing) expect(now.get(id)!.equals(blob)).toBe(true)

    const copyId = (db.prepare('SELECT id FROM tickets WHERE import_id = ? AND body = ?').get(summary.importId, nearCopy[1]) as { id: number }).id
    const copy = ticketById(db, copyId)
    expect(copy.duplicate_of).toBe(6)
    expect(copy.duplicate_score).toBeGreaterThanOrEqual(0.95)
    expect(similar.nearDuplicates).toBeGreaterThanOrEqual(1)
    // Earlier tickets are never linked to later ones.
    expect(ticketById(db, 6).duplicate_of).toBeNull()
    // The new tickets are searchable at once, from the incrementally grown index.
    const hits = await similarTickets(db, { ticketId: 6 }, 1)
    expect(hits.hits[0]).toMatchObject({ ticketId: copyId })
  })
})

describe('cancelling an index run', () => {
  it('keeps the batches saved before the cancel, whole, and saves nothing of the batches in flight', async () => {
    const dir = tempDir()
    const db = openDatabase(join(dir, 'cancel.sqlite'))
    try {
      const { header, records } = csvSlice(BUECK_TEST_CSV, 100)
      // 300 tickets: the same 100 three times over, with a number so that no two texts are equal.
      const many = [0, 1, 2].flatMap((copy) => records.map((r) => r.map((v, c) => (c === 0 ? `${v} (${copy})` : v))))
      await importFile(db, writeCsv(join(dir, 'many.csv'), header, many))
      const controller = new AbortController()
      const summary = await indexTickets(db, undefined, {
        batchSize: 60,
        signal: controller.signal,
        // Cancelled as the first batch is saved, with the second already queued behind it.
        onProgress: () => controller.abort()
      })
      expect(summary).toMatchObject({ cancelled: true, indexed: 60 })
      expect(vectorRows(db, summary.embedder).size).toBe(60)
      // The next run picks up where the cancelled one stopped.
      const rest = await indexTickets(db)
      expect(rest).toMatchObject({ cancelled: false, indexed: many.length - 60 })
      expect(vectorRows(db, summary.embedder).size).toBe(many.length)
    } finally {
      await releaseSimilar(db)
      db.close()
    }
  })
})

describe('similar tickets before anything is indexed, and without a model', () => {
  const dir = tempDir()
  const savedModelsDir = process.env.TRIAGE_MODELS_DIR
  let db: Db

  beforeAll(() => {
    db = openDatabase(join(dir, 'fallback.sqlite'))
    process.env.TRIAGE_MODELS_DIR = tempDir('triage-no-models-')
  })
  afterAll(async () => {
    process.env.TRIAGE_MODELS_DIR = savedModelsDir
    await releaseSimilar(db)
    db.close()
  })

  it('says SIMILAR_NOT_READY for a text query on an empty database, NOT_FOUND for a ticket id', async () => {
    const err = await expectEngineError(similarTickets(db, { text: 'printer offline' }, 5), 'SIMILAR_NOT_READY')
    expect(err.message).toMatch(/import/i)
    await expectEngineError(similarTickets(db, { ticketId: 1 }, 5), 'NOT_FOUND')
    await expectEngineError(similarTickets(db, { text: '?!' }, 5), 'BAD_REQUEST')
  })

  it('falls back to hashed TF-IDF vectors, and re-embeds a ticket whose text changed', async () => {
    const header = ['id', 'subject', 'body', 'queue']
    const rows = [
      ['T-1', 'Printer offline', 'The printer on floor 3 shows offline since this morning, nobody can print.', 'Hardware'],
      ['T-2', 'VPN drops', 'My VPN connection drops every ten minutes when working from home.', 'Network'],
      ['T-3', 'Invoice wrong', 'The invoice for March lists two licences we cancelled in February.', 'Billing'],
      ['T-4', 'Password reset', 'I forgot my password and the reset mail never arrives.', 'Accounts'],
      ['T-5', 'Printer jam', 'Paper keeps jamming in the printer on floor 3, tray 2.', 'Hardware']
    ]
    const firstImport = await importFile(db, writeCsv(join(dir, 'a.csv'), header, rows))
    const indexed = await afterImportSimilar(db, firstImport.importId)
    expect(indexed).toMatchObject({ embedder: TFIDF_EMBEDDER, indexed: 5, nearDuplicates: 0 })
    const byText = await similarTickets(db, { text: 'printer offline on floor 3' }, 3, 'queue')
    expect(byText.embedder).toBe(TFIDF_EMBEDDER)
    expect(byText.hits[0]).toMatchObject({ externalId: 'T-1', label: 'Hardware' })
    expect(byText.hits[1]).toMatchObject({ externalId: 'T-5' })
    const own = await similarTickets(db, { text: `${rows[2]![1]}\n${rows[2]![2]}` }, 1)
    expect(own.hits[0]!.externalId).toBe('T-3')
    expect(own.hits[0]!.score).toBeGreaterThan(0.999)

    // T-4 changes its text: the update drops its old vector and the next indexing embeds the new text.
    const idOf4 = (db.prepare("SELECT id FROM tickets WHERE external_id = 'T-4'").get() as { id: number }).id
    const oldVector = vectorRows(db, TFIDF_EMBEDDER).get(idOf4)!
    const changed = rows.map((r) => (r[0] === 'T-4' ? ['T-4', 'VPN certificate expired', 'The VPN client says my certificate expired.', 'Network'] : r))
    const secondImport = await importFile(db, writeCsv(join(dir, 'b.csv'), header, changed))
    expect(secondImport).toMatchObject({ updated: 1, duplicate: 4 })
    const reindexed = await afterImportSimilar(db, secondImport.importId)
    expect(reindexed.indexed).toBe(1)
    expect(vectorRows(db, TFIDF_EMBEDDER).get(idOf4)!.equals(oldVector)).toBe(false)
    const vpn = await similarTickets(db, { ticketId: idOf4 }, 1)
    expect(vpn.hits[0]!.externalId).toBe('T-2')
  })

  it('refits the TF-IDF weights once the store outgrows the tickets they were fitted on, and re-embeds all', async () => {
    const fittedOn = (): number =>
      JSON.parse((db.prepare("SELECT metrics FROM models WHERE kind = 'embedder' AND name = ?").get(TFIDF_EMBEDDER) as { metrics: string }).metrics)
        .documents as number
    expect(fittedOn()).toBe(5)
    const { header, records } = csvSlice(BUECK_TEST_CSV, 200)
    const big = await importFile(db, writeCsv(join(dir, 'big.csv'), header, records))
    const similar = await afterImportSimilar(db, big.importId)
    expect(similar.indexed).toBe(205)
    expect(fittedOn()).toBe(205)
    expect(vectorRows(db, TFIDF_EMBEDDER).size).toBe(205)
    const own = await similarTickets(db, { ticketId: 10 }, 3)
    expect(own.hits).toHaveLength(3)
  })
})
