// Per-queue precision, recall, F1 and support, and what the current thresholds route without review;
// every header sorts (a second click reverses).
import { useMemo, useState } from 'react'
import type { ClassFigures } from '../../../shared/evaluation.ts'
import { formatThreshold, percent, sortClasses, threeDecimals, type ClassSortKey } from './evaluationFigures.ts'
import { ariaSort, SortButton } from '../SortButton.tsx'

const COLUMNS: readonly { readonly key: ClassSortKey; readonly title: string; readonly format: (c: ClassFigures) => string }[] = [
  { key: 'label', title: 'Queue', format: (c) => c.label },
  { key: 'precision', title: 'Precision', format: (c) => threeDecimals(c.precision) },
  { key: 'recall', title: 'Recall', format: (c) => threeDecimals(c.recall) },
  { key: 'f1', title: 'F1', format: (c) => threeDecimals(c.f1) },
  { key: 'support', title: 'Support', format: (c) => String(c.support) },
  { key: 'threshold', title: 'Threshold', format: (c) => formatThreshold(c.threshold) },
  { key: 'routedPrecision', title: 'Routed precision', format: (c) => percent(c.routedPrecision) },
  { key: 'routedCoverage', title: 'Routed coverage', format: (c) => percent(c.routedCoverage) }
]

export function ClassFiguresTable({ target, rows }: { target: string; rows: readonly ClassFigures[] }) {
  const [sort, setSort] = useState<{ key: ClassSortKey; dir: 'asc' | 'desc' }>({ key: 'support', dir: 'desc' })
  const sorted = useMemo(() => sortClasses(rows, sort.key, sort.dir), [rows, sort])
  const toggle = (key: ClassSortKey) =>
    setSort((old) => (old.key === key ? { key, dir: old.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'label' ? 'asc' : 'desc' }))

  return (
    <div className="eval-table-scroll">
      <table className="eval-table" aria-label={`Per-${target} figures`}>
        <thead>
          <tr>
            {COLUMNS.map((col) => (
              <th key={col.key} aria-sort={ariaSort(sort.key === col.key && sort.dir)}>
                <SortButton direction={sort.key === col.key && sort.dir} onClick={() => toggle(col.key)}>
                  {col.title}
                </SortButton>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((c) => (
            <tr key={c.label}>
              {COLUMNS.map((col) => (col.key === 'label' ? <th key={col.key} scope="row">{c.label}</th> : <td key={col.key}>{col.format(c)}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">Routed: tickets predicted with confidence at or above the queue's threshold, which skip review. A threshold of “never” sends every ticket of that queue to review.</p>
    </div>
  )
}
