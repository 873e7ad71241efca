// `--encoding` and `--delimiter` checked against the values the engine contract allows for an import
// (read from its schema, so a new encoding there is accepted here without a second list to update).
import { requestSchemas } from '../../shared/contract.ts'
import { choiceArg } from './args.ts'

const importSchema = requestSchemas['import.start'].shape
export const ENCODINGS = importSchema.encoding.unwrap().options
export const DELIMITERS = importSchema.delimiter.unwrap().options

export type CsvEncoding = (typeof ENCODINGS)[number]
export type CsvDelimiter = (typeof DELIMITERS)[number]

export function encodingArg(value: string | undefined, command = 'import'): CsvEncoding | undefined {
  return choiceArg('--encoding', value?.toLowerCase(), ENCODINGS, command)
}

/** A tab is hard to type in a shell, so `tab` and a literal `\t` stand for one. */
export function delimiterArg(value: string | undefined, command = 'import'): CsvDelimiter | undefined {
  const given = value === 'tab' || value === '\\t' ? '\t' : value
  return choiceArg('--delimiter', given, DELIMITERS, command, DELIMITERS.map((d) => (d === '\t' ? 'tab' : `"${d}"`)))
}
