// `triage tickets` options → the engine's `tickets.page` request, checked against the contract's own
// schema here, so a bad --sort or --limit is a usage error (exit 2) naming the option, not an engine
// validation failure.
import { requestSchemas, type Params } from '../../shared/contract.ts'
import type { InboxColumn, SortDirection } from '../../shared/domain.ts'
import { intArg, UsageError } from './args.ts'

const schema = requestSchemas['tickets.page']
const COLUMNS = 'externalId, subject, created, status, priority, label:TARGET'

export interface TicketOptions {
  readonly search?: string | undefined
  readonly filter?: readonly string[] | undefined
  readonly sort?: string | undefined
  readonly limit?: string | undefined
  readonly offset?: string | undefined
}

/**
 * `COL[:asc|desc]`. Columns may hold a colon themselves (label:queue, confidence:queue), so only a last
 * part that is a direction is one: label:queue:asc is label:queue ascending, label:queue is descending.
 */
export function parseSort(value: string): { column: InboxColumn; dir: SortDirection } {
  const at = value.lastIndexOf(':')
  const last = at >= 0 ? value.slice(at + 1).toLowerCase() : ''
  const hasDir = last === 'asc' || last === 'desc'
  const sort = { column: (hasDir ? value.slice(0, at) : value) as InboxColumn, dir: (hasDir ? last : 'desc') as SortDirection }
  if (!schema.shape.sort.safeParse(sort).success) throw new UsageError(`--sort needs COL[:asc|desc] with COL one of ${COLUMNS} or confidence:TARGET; not "${value}"`, 'tickets')
  return sort
}

function parseFilter(value: string): { column: InboxColumn; value: string } {
  const eq = value.indexOf('=')
  const filter = { column: value.slice(0, Math.max(eq, 0)) as InboxColumn, value: value.slice(eq + 1) }
  // The contract allows confidence:TARGET for sorting only; the store cannot filter on it.
  if (eq <= 0 || filter.column.startsWith('confidence:') || !schema.shape.filters.unwrap().element.safeParse(filter).success) {
    throw new UsageError(`--filter needs COL=VALUE with COL one of ${COLUMNS}; not "${value}"`, 'tickets')
  }
  return filter
}

export function ticketQuery(o: TicketOptions): Params<'tickets.page'> {
  const query: Params<'tickets.page'> = {
    offset: intArg('--offset', o.offset, 0, Number.MAX_SAFE_INTEGER, 'tickets') ?? 0,
    limit: intArg('--limit', o.limit, 1, 1000, 'tickets') ?? 20,
    filters: (o.filter ?? []).map(parseFilter),
    ...(o.search !== undefined && o.search.trim() !== '' ? { search: o.search.trim() } : {}),
    ...(o.sort !== undefined ? { sort: parseSort(o.sort) } : {})
  }
  // Whatever the checks above missed (too many filters, a search over the length limit).
  const checked = schema.safeParse(query)
  if (!checked.success) {
    const issue = checked.error.issues[0]!
    const option = { filters: '--filter', search: '--search' }[String(issue.path[0])] ?? String(issue.path[0])
    throw new UsageError(`${option}: ${issue.message}`, 'tickets')
  }
  return query
}
