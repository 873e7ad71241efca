import { describe, expect, it } from 'vitest'
import { bodyAfterTitle, ticketTitle } from './ticketTitle.ts'

describe('ticketTitle', () => {
  it('uses a written subject as it is, whitespace folded', () => {
    expect(ticketTitle('  VPN   down\n', 'the vpn does not connect')).toEqual({ text: 'VPN down', derived: false })
  })

  it('takes the first words of the body when there is no subject, flagged as derived', () => {
    expect(ticketTitle('', 'connection with icon dear please setup')).toEqual({ text: 'connection with icon dear please setup', derived: true })
    expect(ticketTitle(null, 'reset passwords\n\nfor external accounts')).toEqual({ text: 'reset passwords for external accounts', derived: true })
  })

  it('cuts a long body at a word boundary and says so with an ellipsis', () => {
    const body = 'reset passwords for external accounts re expire days hi ask help update passwords colleagues thank pm'
    const title = ticketTitle('', body, 40)
    expect(title.text).toBe('reset passwords for external accounts re…')
    expect(title.text.length).toBeLessThanOrEqual(41)
    expect(body.startsWith(title.text.slice(0, -1))).toBe(true)
  })

  it('drops trailing punctuation before the ellipsis', () => {
    expect(ticketTitle('', 'Hello team, the printer, again. It jams every morning', 20).text).toBe('Hello team, the…')
  })

  it('cuts one endless token where the limit falls', () => {
    const url = `https://example.com/${'a'.repeat(200)}`
    expect(ticketTitle('', url, 30).text).toBe(`${url.slice(0, 30)}…`)
  })

  it('never returns an empty title, and never says "(no subject)"', () => {
    expect(ticketTitle('', '   ')).toEqual({ text: '(empty ticket)', derived: true })
    expect(ticketTitle(undefined, undefined).text).not.toBe('(no subject)')
  })
})

describe('bodyAfterTitle', () => {
  it('returns the rest of the body after a derived title', () => {
    const body = 'reset passwords for external accounts re expire days'
    const title = ticketTitle('', body, 30)
    expect(title.text).toBe('reset passwords for external…')
    expect(bodyAfterTitle(title, body)).toBe('accounts re expire days')
  })

  it('leaves the body alone when the title is a written subject', () => {
    expect(bodyAfterTitle(ticketTitle('VPN', 'the vpn is down'), 'the vpn is down')).toBe('the vpn is down')
  })

  it('is empty when the title is the whole body', () => {
    expect(bodyAfterTitle(ticketTitle('', 'short body'), 'short body')).toBe('')
  })
})
