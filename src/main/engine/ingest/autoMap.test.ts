import { describe, expect, it } from 'vitest'
import { autoMap } from './autoMap.ts'

const cols = (headers: string) => headers.split(',').map((h) => h.trim())

describe('autoMap', () => {
  it('maps a Zendesk export (no body: subject-only text)', () => {
    const h = cols('Summation column, Id, Requester, Requester id, Group, Subject, Tags, Status, Priority, Via, Ticket type, Created at, Updated at')
    const r = autoMap(h, [])
    expect(r.preset).toBe('Zendesk')
    expect(r.mapping.fields).toEqual({ externalId: 1, subject: 5, status: 7, priority: 8, created: 11 })
    expect(r.mapping.targets).toEqual({ Group: 4, Priority: 8, 'Ticket type': 10 })
  })

  it('maps a Freshdesk export', () => {
    const h = cols('Ticket ID, Subject, Description, Status, Priority, Source, Type, Agent, Group, Created time, Resolution status')
    const r = autoMap(h, [])
    expect(r.preset).toBe('Freshdesk')
    expect(r.mapping.fields).toEqual({ externalId: 0, subject: 1, body: 2, status: 3, priority: 4, created: 9 })
    expect(Object.keys(r.mapping.targets).sort()).toEqual(['Group', 'Priority', 'Type'])
  })

  it('maps Jira, preferring the issue key over the numeric id, with repeated headers', () => {
    const h = cols('Summary, Issue key, Issue id, Issue Type, Status, Project key, Priority, Description, Created, Labels, Labels')
    const r = autoMap(h, [])
    expect(r.preset).toBe('Jira')
    expect(r.mapping.fields).toMatchObject({ externalId: 1, subject: 0, body: 7, created: 8, status: 4, priority: 6 })
    expect(r.mapping.targets).toMatchObject({ 'Issue Type': 3, 'Project key': 5 })
  })

  it('maps ServiceNow field names', () => {
    const h = cols('number, opened_at, short_description, caller_id, priority, state, category, assignment_group, assigned_to')
    const r = autoMap(h, [])
    expect(r.preset).toBe('ServiceNow')
    expect(r.mapping.fields).toEqual({ externalId: 0, created: 1, subject: 2, priority: 4, status: 5 })
    expect(r.mapping.targets).toEqual({ priority: 4, category: 6, assignment_group: 7 })
  })

  it('maps prefixed generic headers and a document column', () => {
    const suraj = autoMap(cols('Ticket ID, Customer Name, Ticket Type, Ticket Subject, Ticket Description, Ticket Status, Ticket Priority'), [])
    expect(suraj.mapping.fields).toEqual({ externalId: 0, subject: 3, body: 4, status: 5, priority: 6 })
    expect(suraj.mapping.targets).toEqual({ 'Ticket Type': 2, 'Ticket Priority': 6 })
    const it = autoMap(['Document', 'Topic_group'], [])
    expect(it.mapping.fields).toEqual({ body: 0 })
    expect(it.mapping.targets).toEqual({ Topic_group: 1 })
  })

  it('finds the prose column when no header says so', () => {
    const r = autoMap(['ref', 'notes', 'code'], [['A1', 'the printer on floor three keeps jamming every morning', 'X'], ['A2', 'cannot reach the VPN from home since the update', 'Y']])
    expect(r.mapping.fields.body).toBe(1)
  })
})
