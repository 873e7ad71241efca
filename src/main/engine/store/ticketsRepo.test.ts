import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCsv } from '../ingest/csvSource.ts'
import { importCsv } from '../ingest/importCsv.ts'
import { fixtureDir, writeFixture } from '../ingest/nastyFixtures.ts'
import { openDatabase, type Db } from './database.ts'
import { ftsQuery, inboxColumns, ticketDetail, ticketPage } from './ticketsRepo.ts'

// The inbox search (tickets.page), which the app's search box and `triage tickets --search` share.
const CSV = [
  'id,subject,body,created,queue',
  '1,VPN down,the vpn does not connect,2024-01-01,Network',
  '2,Printer jam,100% of pages jam,2024-01-02,Hardware',
  '3,VPN slow,vpn_client slow at home,2024-01-03,Access',
  '4,Invoice,wrong total on invoice,2024-01-04,Billing',
  ''
].join('\n')

let dir: string
let db: Db
beforeAll(async () => {
  dir = fixtureDir()
  db = openDatabase(join(dir, 'test.sqlite'))
  await importCsv(db, await openCsv(writeFixture(dir, 'tickets.csv', CSV)))
})
afterAll(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

const search = (text: string): string[] => ticketPage(db, { offset: 0, limit: 10, filters: [], search: text }).rows.map((r) => r.externalId)

describe('ticket search', () => {
  it('finds tickets by word, the last word as a prefix', () => {
    expect(search('vpn').sort()).toEqual(['1', '3'])
    expect(search('VPN conn')).toEqual(['1'])
    expect(search('vpn_client')).toEqual(['3'])
  })

  it('matches nothing for a search with no word in it, rather than every ticket', () => {
    for (const text of ['%', '*', '!!!', '_', '"', '%_%', '—', '( )']) {
      expect(search(text), JSON.stringify(text)).toEqual([])
      expect(ticketPage(db, { offset: 0, limit: 10, filters: [], search: text }).total).toBe(0)
    }
    expect(ftsQuery('%')).toBeNull()
    expect(ftsQuery('_ __')).toBeNull()
  })

  it('treats a blank search as no search', () => {
    expect(search('')).toHaveLength(4)
    expect(search('   ')).toHaveLength(4)
  })

  it('takes punctuation around words as separators, never as syntax', () => {
    expect(search('100%')).toEqual(['2'])
    expect(search('"vpn" OR printer*')).toEqual([])
    expect(search('vpn*')).toHaveLength(2)
  })

  it('sorts by a label target in either direction', () => {
    const sorted = (dir: 'asc' | 'desc'): string[] => ticketPage(db, { offset: 0, limit: 10, filters: [], sort: { column: 'label:queue', dir } }).rows.map((r) => r.externalId)
    expect(sorted('asc')).toEqual(['3', '4', '2', '1'])
    expect(sorted('desc')).toEqual(['1', '2', '4', '3'])
  })
})

// What the inbox learns about its columns (tickets.columns) and about a likely duplicate.
describe('inbox columns and duplicates', () => {
  it('names the fields some ticket has a value for, and the longest external id', () => {
    const cols = inboxColumns(db)
    expect(cols.fieldsWithData).toEqual(['externalId', 'subject', 'body', 'created'])
    expect(cols.externalIdChars).toBe(1)
  })

  it('leaves out subject, date, status and priority for a body-only export', async () => {
    const bodyOnly = openDatabase(join(dir, 'body-only.sqlite'))
    try {
      await importCsv(bodyOnly, await openCsv(writeFixture(dir, 'body-only.csv', 'Document,Topic_group\nthe printer jams,Hardware\nreset my password,Access\n')))
      const cols = inboxColumns(bodyOnly)
      expect(cols.fieldsWithData).toEqual(['externalId', 'body'])
      expect(cols.targets.map((t) => t.target)).toEqual(['Topic_group'])
    } finally {
      bodyOnly.close()
    }
  })

  it('gives a duplicate link the external id the user knows the ticket by', () => {
    const [first, second] = ticketPage(db, { offset: 0, limit: 2, filters: [], sort: { column: 'externalId', dir: 'asc' } }).rows
    db.prepare('UPDATE tickets SET duplicate_of = ?, duplicate_score = 0.97 WHERE id = ?').run(first!.id, second!.id)
    try {
      const row = ticketPage(db, { offset: 0, limit: 10, filters: [{ column: 'externalId', value: second!.externalId }] }).rows[0]
      expect(row?.duplicateOf).toEqual({ id: first!.id, score: 0.97, externalId: first!.externalId })
      expect(ticketDetail(db, second!.id).duplicateOf).toEqual({ id: first!.id, score: 0.97, externalId: first!.externalId })
    } finally {
      db.prepare('UPDATE tickets SET duplicate_of = NULL, duplicate_score = NULL WHERE id = ?').run(second!.id)
    }
  })
})
