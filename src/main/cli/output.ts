// CLI output: human text by default, exactly one JSON object on stdout with --json; progress and errors
// go to stderr so stdout stays parseable.
import type { EngineErrorShape } from '../../shared/contract.ts'
import { toErrorShape } from '../../shared/errors.ts'
import { terminalText } from './terminalText.ts'
import { UsageError } from './args.ts'

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`)
}

/** One line of human output, cleaned of anything that could drive the terminal (it may quote a ticket). */
export function printLine(line: string): void {
  process.stdout.write(`${terminalText(line)}\n`)
}

/**
 * The error as one line on stderr (and as `{ error }` on stdout with --json). A usage error exits 2, as
 * command-line tools do for a wrong command line; anything that went wrong while running exits 1.
 */
export function printError(err: unknown, json: boolean): number {
  if (err instanceof UsageError) {
    if (json) printJson({ error: { code: 'USAGE', message: err.message } })
    process.stderr.write(`${terminalText(oneLine(`triage${err.command ? ` ${err.command}` : ''}: ${err.message}`, 1000))} (see triage ${err.command ? `${err.command} ` : ''}--help)\n`)
    return 2
  }
  const shape: EngineErrorShape = toErrorShape(err)
  if (json) printJson({ error: shape })
  // Messages can quote file content (a CSV header, a label), and must stay one line.
  process.stderr.write(`triage: ${oneLine(shape.message, 2000)}${shape.code === 'INTERNAL' ? '' : ` [${shape.code}]`}\n`)
  return 1
}

export function table(rows: readonly (readonly string[])[]): string {
  rows = rows.map((r) => r.map((c) => terminalText(c).replace(/[\t\n]/g, ' ')))
  const widths: number[] = []
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)))
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n')
}

export function oneLine(s: string, max: number): string {
  const t = terminalText(s).replace(/\s+/g, ' ').trim()
  return t.length > max ? `${t.slice(0, max - 1)}…` : t
}
