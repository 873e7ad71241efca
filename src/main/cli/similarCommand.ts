// `triage similar --id N | --text "…"`: the tickets most like a ticket or a text, indexing first what
// has no vector yet (progress on stderr, so --json output stays one object).
import type { Engine } from '../engine/api/engine.ts'
import { indexTickets } from '../engine/similar/similarService.ts'
import { oneLine, printJson, table } from './output.ts'

export interface SimilarArgs {
  /** Exactly one of id and text; both checked by the command line (cli.ts). */
  readonly id?: number | undefined
  readonly text?: string | undefined
  readonly k?: number | undefined
  readonly target?: string | undefined
  readonly exact?: boolean | undefined
  readonly json: boolean
}

export async function similarCommand(engine: Engine, args: SimilarArgs): Promise<number> {
  const controller = new AbortController()
  const onSigint = (): void => controller.abort()
  process.once('SIGINT', onSigint)
  const tty = process.stderr.isTTY
  let indexed = 0
  try {
    const summary = await indexTickets(engine.db, undefined, {
      signal: controller.signal,
      onProgress: (p) => {
        if (tty) process.stderr.write(`\rindexing for similar tickets: ${p.rows}/${p.total} tickets, ${p.rowsPerSec}/s   `)
      }
    })
    indexed = summary.indexed
    if (indexed > 0) {
      if (tty) process.stderr.write('\n')
      process.stderr.write(`indexed ${indexed} tickets with ${summary.embedder} in ${summary.seconds.toFixed(1)} s (${summary.rowsPerSec}/s)\n`)
    }
    if (summary.cancelled) return 1
  } finally {
    process.off('SIGINT', onSigint)
  }

  const result = await engine.call('similar.query', {
    ...(args.id !== undefined ? { ticketId: args.id } : { text: args.text ?? '' }),
    ...(args.k !== undefined ? { k: args.k } : {}),
    ...(args.target !== undefined ? { target: args.target } : {}),
    exact: args.exact ?? false
  })
  if (args.json) {
    printJson({ ...result, indexed })
    return 0
  }
  console.log(`${result.hits.length} similar tickets (${result.embedder}${result.exact ? ', exact' : ''})`)
  const labelOf = (h: (typeof result.hits)[number]): string =>
    args.target !== undefined ? (h.label ?? '') : Object.entries(h.labels).map(([t, v]) => `${t}=${v}`).join(' ')
  console.log(
    table([
      ['score', 'id', 'external id', 'created', args.target ?? 'labels', 'subject'],
      ...result.hits.map((h) => [h.score.toFixed(3), String(h.ticketId), oneLine(h.externalId, 16), h.created ?? '', oneLine(labelOf(h), 40), oneLine(h.subject, 70)])
    ])
  )
  return 0
}
