// Argument parsing for every `triage` command: node's util.parseArgs in strict mode against the
// command's own options, so an unknown option, a missing value or a stray argument is a one-line usage
// error (exit 2) before any database is opened, never a stack trace.
import { parseArgs } from 'node:util'

/** A wrong command line: printed as one line, with a pointer to the command's --help, and exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string
  ) {
    super(message)
    this.name = 'UsageError'
  }
}

export interface OptionSpec {
  readonly type: 'string' | 'boolean'
  readonly multiple?: boolean
  readonly short?: string
  /** The value's placeholder in help, e.g. PATH. */
  readonly value?: string
  readonly help: string
}

export interface CommandSpec {
  readonly name: string
  /** A few words for the list of commands in `triage --help`. */
  readonly brief: string
  /** Usage lines without the leading "triage ". */
  readonly usage: readonly string[]
  readonly summary: string
  readonly options: Readonly<Record<string, OptionSpec>>
  /** How many positional arguments the command takes. */
  readonly positionals: { readonly min: number; readonly max: number; readonly name?: string }
}

export interface ParsedCommand {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>
  readonly positionals: readonly string[]
  readonly help: boolean
}

/** parseArgs' errors → one short line in the user's terms (node's own can run to three lines of hints). */
function explain(err: unknown): string {
  const e = err as { code?: string; message?: string }
  const message = (e.message ?? String(err)).split('\n')[0]!
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? ''
  // "Option '--limit <value>' argument missing": the option alone.
  const option = quoted.split(' ')[0]
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option}`
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('does not take an argument') ? `${option} takes no value` : `${option} needs a value`
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${quoted}"`
    default:
      return message
  }
}

export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): ParsedCommand {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {}
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) }
  }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: spec.positionals.max > 0 })
  } catch (err) {
    // --help wins over any other mistake on the line: the user is asking how to write it.
    if (argv.includes('--help') || argv.includes('-h')) return { values: {}, positionals: [], help: true }
    throw new UsageError(explain(err), spec.name)
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>
  const help = values.help === true
  if (!help) {
    const n = parsed.positionals.length
    if (n < spec.positionals.min) throw new UsageError(`missing ${spec.positionals.name ?? 'argument'}`, spec.name)
    if (n > spec.positionals.max) throw new UsageError(`unexpected argument "${parsed.positionals[spec.positionals.max]}"`, spec.name)
  }
  return { values, positionals: parsed.positionals, help }
}

/** `triage COMMAND --help`. */
export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, o]) => [`${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}`, o.help] as const)
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2
  return [
    `Usage: ${spec.usage.map((u, i) => `${i ? '       ' : ''}triage ${u}`).join('\n')}`,
    '',
    spec.summary,
    '',
    'Options:',
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text.replace(/\n/g, `\n  ${' '.repeat(width)}`)}`)
  ].join('\n')
}

/** A whole number in [min, max], or a usage error naming the option. */
export function intArg(name: string, value: string | undefined, min: number, max: number, command?: string): number | undefined {
  if (value === undefined) return undefined
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max >= Number.MAX_SAFE_INTEGER ? (min === 1 ? 'a positive whole number' : `a whole number, at least ${min}`) : `a whole number from ${min} to ${max}`
    throw new UsageError(`${name} must be ${range}, not "${value}"`, command)
  }
  return n
}

/** One of a fixed list (the contract's enum options), or a usage error listing them. */
export function choiceArg<T extends string>(name: string, value: string | undefined, allowed: readonly T[], command?: string, shown: readonly string[] = allowed): T | undefined {
  if (value === undefined) return undefined
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new UsageError(`${name} must be one of ${shown.join(', ')}, not "${value}"`, command)
}
