// CLI output: human text by default, exactly one JSON object on stdout with --json; progress and errors
// go to stderr so stdout stays parseable.
import type { EngineErrorShape } from '../../shared/contract.ts'
import { toErrorShape } from '../../shared/errors.ts'

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`)
}

export function printError(err: unknown, json: boolean): number {
  const shape: EngineErrorShape = toErrorShape(err)
  if (json) printJson({ error: shape })
  process.stderr.write(`triage: ${shape.message}${shape.code === 'INTERNAL' ? '' : ` [${shape.code}]`}\n`)
  return 1
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = []
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)))
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n')
}

export function oneLine(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim()
  return t.length > max ? `${t.slice(0, max - 1)}…` : t
}
