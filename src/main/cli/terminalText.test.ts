import { describe, expect, it } from 'vitest'
import { terminalText } from './terminalText.ts'
import { oneLine, table } from './output.ts'

describe('terminalText', () => {
  it('drops whole escape sequences, not just the ESC', () => {
    expect(terminalText('\u001b[2J\u001b[31mRED\u001b[0m')).toBe('RED')
    expect(terminalText('a\u001b]0;new title\u0007b')).toBe('ab')
    expect(terminalText('a\u001b]52;c;aGk=\u001b\\b')).toBe('ab')
    expect(terminalText('a\u001bPq#0;2;0;0;0\u001b\\b')).toBe('ab')
    expect(terminalText('a\u001bcb\u001b(Bc')).toBe('abc')
    expect(terminalText('a\u009b31mb')).toBe('ab')
  })

  it('drops other C0 and C1 controls, keeps tab, newline and ordinary text', () => {
    expect(terminalText('a\rb\bc\u0000d\u007fe\u0085f')).toBe('abcdef')
    expect(terminalText('a\tb\nc')).toBe('a\tb\nc')
    expect(terminalText('Problème réseau — 100 % ✓')).toBe('Problème réseau — 100 % ✓')
    expect(terminalText('trailing ESC \u001b')).toBe('trailing ESC ')
  })

  it('cleans every cell of a table and every one-line snippet', () => {
    expect(table([['id', 'subject'], ['1', 'x\u001b[2Jy\tz']])).toBe('id  subject\n1   xy z')
    expect(oneLine('a\u001b[31m\r\nb', 10)).toBe('a b')
  })
})
