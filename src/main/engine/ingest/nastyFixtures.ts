// Fixture CSV files made to be nasty, written byte for byte so each test knows exactly what is on disk.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import iconv from 'iconv-lite'

export function fixtureDir(): string {
  return mkdtempSync(join(tmpdir(), 'triage-fixtures-'))
}

export function writeFixture(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

/** A small Freshdesk-style export with ids, dates, a queue and multi-line quoted bodies, CRLF endings. */
export const FRESHDESK_CSV = [
  'Ticket ID,Subject,Description,Status,Priority,Type,Group,Created time',
  '101,Cannot log in,"Password reset link\r\nexpires too fast",Open,High,Problem,Access,2024-03-01 09:15:00',
  '102,Printer jammed,Third floor printer,Pending,Low,Incident,Hardware,2024-03-02 10:00:00',
  '103,Invoice copy,"Need a copy of invoice ""INV-7""",Resolved,Medium,Question,Billing,2024-03-03 11:30:00',
  ''
].join('\r\n')

export const LATIN1_TEXT = 'id;sujet;description;queue\n11;Problème réseau;Le câble est débranché à côté du café;Réseau\n12;Mot de passe oublié;Réinitialiser le compte de Zoë;Accès\n'

export function utf16le(text: string, bom = true): Buffer {
  const body = iconv.encode(text, 'utf-16le')
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body
}

export function utf16be(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')])
}

export function windows1252(text: string): Buffer {
  return iconv.encode(text, 'windows-1252')
}
