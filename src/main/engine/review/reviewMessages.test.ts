import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCsv } from '../ingest/csvSource.ts'
import { importCsv } from '../ingest/importCsv.ts'
import { fixtureDir, writeFixture } from '../ingest/nastyFixtures.ts'
import { openDatabase, type Db } from '../store/database.ts'
import { decide, undoLast } from './reviewDecisions.ts'

// Messages that name a ticket use the id the user sees (the helpdesk's), never the internal row number.
let db: Db
let ticketId: number
beforeEach(async () => {
  const dir = fixtureDir()
  db = openDatabase(join(dir, 'm.sqlite'))
  await importCsv(db, await openCsv(writeFixture(dir, 'm.csv', 'id,subject,body,group\nINC-4711,VPN down,cannot connect,Network\n')))
  ticketId = (db.prepare('SELECT id FROM tickets').get() as { id: number }).id
})
afterEach(() => db.close())

describe('review messages', () => {
  it('names the ticket by its external id', () => {
    const decided = decide(db, { ticketId, target: 'group', label: 'Access', who: 'lea' })
    expect(decided.externalId).toBe('INC-4711')
    expect(() => decide(db, { ticketId, target: 'group', label: 'Network', who: 'sam' })).toThrow(/^Ticket INC-4711 was already decided by lea/)
    expect(() => decide(db, { ticketId, target: 'other', who: 'sam' })).toThrow(/^Ticket INC-4711 has no prediction for other/)
    expect(undoLast(db, 'lea', 'group')).toMatchObject({ ticketId, externalId: 'INC-4711', action: 'undo' })
  })

  it('does not name a removed ticket by a number nobody knows', () => {
    db.prepare('DELETE FROM tickets WHERE id = ?').run(ticketId)
    expect(() => decide(db, { ticketId, target: 'group', label: 'Access', who: 'lea' })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: expect.not.stringContaining(String(ticketId)) })
    )
  })
})
