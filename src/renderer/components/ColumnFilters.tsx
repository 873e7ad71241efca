// One menu per categorical column (status, priority, each label target), values from tickets.columns.
import type { InboxColumns } from '../../shared/contract.ts'
import type { InboxColumn } from '../../shared/domain.ts'
import { ValueOptions } from './ValueOptions.tsx'

export type FilterValues = Readonly<Partial<Record<InboxColumn, string>>>

interface FilterMenu {
  readonly column: InboxColumn
  readonly label: string
  readonly values: readonly string[]
}

export function filterMenus(columns: InboxColumns | null): FilterMenu[] {
  if (!columns) return []
  const menus: FilterMenu[] = []
  const status = columns.fieldValues?.status
  const priority = columns.fieldValues?.priority
  if (status && status.length > 0) menus.push({ column: 'status', label: 'Status', values: status })
  if (priority && priority.length > 0) menus.push({ column: 'priority', label: 'Priority', values: priority })
  for (const { target, values } of columns.targets) menus.push({ column: `label:${target}`, label: target, values })
  return menus
}

export function ColumnFilters(props: { columns: InboxColumns | null; value: FilterValues; onChange: (value: FilterValues) => void }) {
  return (
    <div className="filters" role="group" aria-label="Filters">
      {filterMenus(props.columns).map((menu) => (
        <label key={menu.column} className="filter">
          <span>{menu.label}</span>
          <select
            aria-label={`Filter by ${menu.label}`}
            value={props.value[menu.column] ?? ''}
            onChange={(e) => {
              const next: Partial<Record<InboxColumn, string>> = { ...props.value }
              if (e.target.value === '') delete next[menu.column]
              else next[menu.column] = e.target.value
              props.onChange(next)
            }}
          >
            <option value="">All</option>
            <ValueOptions values={menu.values} />
          </select>
        </label>
      ))}
    </div>
  )
}
