// Encodings and delimiters the engine accepts. Written out (not read from the zod schemas) so the
// renderer bundle does not carry zod; the type checks below fail to compile if the contract drifts.
import type { Params } from '../../shared/contract.ts'
import type { TicketField } from '../../shared/domain.ts'

export type CsvEncoding = NonNullable<Params<'import.preview'>['encoding']>
export type CsvDelimiter = NonNullable<Params<'import.preview'>['delimiter']>

export const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'iso-8859-1'] as const satisfies readonly CsvEncoding[]
export const DELIMITERS = [',', ';', '\t', '|'] as const satisfies readonly CsvDelimiter[]

type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false
const encodingsComplete: Exhaustive<CsvEncoding, (typeof ENCODINGS)[number]> = true
const delimitersComplete: Exhaustive<CsvDelimiter, (typeof DELIMITERS)[number]> = true
void encodingsComplete
void delimitersComplete

export const DELIMITER_NAMES: Readonly<Record<string, string>> = {
  ',': 'Comma ( , )',
  ';': 'Semicolon ( ; )',
  '\t': 'Tab',
  '|': 'Pipe ( | )'
}

export const FIELD_NAMES: Readonly<Record<TicketField, string>> = {
  externalId: 'External id',
  subject: 'Subject',
  body: 'Body',
  created: 'Created',
  status: 'Status',
  priority: 'Priority'
}
