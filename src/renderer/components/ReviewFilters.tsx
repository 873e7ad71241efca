// What to review: the target (those with an active head), the order, and narrowing by predicted label,
// import and created date.
import type { ImportSummary } from '../../shared/domain.ts'
import type { ReviewFilterForm } from './reviewFilterParams.ts'
import { ValueOptions } from './ValueOptions.tsx'

interface Props {
  readonly targets: readonly string[]
  readonly labels: readonly string[]
  readonly imports: readonly ImportSummary[]
  readonly value: ReviewFilterForm
  readonly onChange: (value: ReviewFilterForm) => void
}

export function ReviewFilters({ targets, labels, imports, value, onChange }: Props) {
  const set = (patch: Partial<ReviewFilterForm>) => onChange({ ...value, ...patch })
  return (
    <div className="filters review-filters" role="group" aria-label="Review filters">
      <label className="filter">
        <span>Target</span>
        <select aria-label="Review target" value={value.target} onChange={(e) => set({ target: e.target.value, predicted: '' })}>
          <ValueOptions values={targets} />
        </select>
      </label>
      <label className="filter">
        <span>Order</span>
        <select aria-label="Review order" value={value.order} onChange={(e) => set({ order: e.target.value === 'margin' ? 'margin' : 'confidence' })}>
          <option value="confidence">Least confident first</option>
          <option value="margin">Closest call first (smallest lead over the next label)</option>
        </select>
      </label>
      <label className="filter">
        <span>Predicted</span>
        <select aria-label="Predicted label" value={value.predicted} onChange={(e) => set({ predicted: e.target.value })}>
          <option value="">All</option>
          <ValueOptions values={labels} />
        </select>
      </label>
      <label className="filter">
        <span>Import</span>
        <select aria-label="Import" value={value.importId} onChange={(e) => set({ importId: e.target.value })}>
          <option value="">All</option>
          {imports.map((i) => (
            <option key={i.importId} value={String(i.importId)}>
              #{i.importId} {i.fileName}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span>Created from</span>
        <input type="date" aria-label="Created from" value={value.from} onChange={(e) => set({ from: e.target.value })} />
      </label>
      <label className="filter">
        <span>to</span>
        <input type="date" aria-label="Created to" value={value.to} onChange={(e) => set({ to: e.target.value })} />
      </label>
    </div>
  )
}
