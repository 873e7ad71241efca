// Two versions of a target's model side by side, each on its own held-out split (eval.report with
// modelId): the figures a lead weighs before restoring an older version on the Models page.
import { useState } from 'react'
import type { EvaluationReportView } from '../../../shared/evaluation.ts'
import type { ModelSummary } from '../../../shared/models.ts'
import { HEADLINE_NAMES, headlines, percent, threeDecimals } from './evaluationFigures.ts'
import { useEvaluationQuery } from './useEvaluationQuery.ts'
import { ValueOptions } from '../ValueOptions.tsx'

function versionName(m: ModelSummary): string {
  return `v${m.version}${m.active ? ' (active)' : ''} · ${m.createdAt.slice(0, 10)}`
}

function column(report: EvaluationReportView | null | undefined, loading: boolean): string[] {
  if (report === undefined) return Array<string>(HEADLINE_NAMES.length + 1).fill(loading ? '…' : '—')
  if (report === null) return Array<string>(HEADLINE_NAMES.length + 1).fill('—')
  return [String(report.n), ...headlines(report).map((h) => h.value)]
}

export function ModelComparison({ target, models }: { target: string; models: readonly ModelSummary[] }) {
  const versions = [...models].filter((m) => m.target === target).sort((a, b) => b.version - a.version)
  const [picked, setPicked] = useState<{ target: string; left: number | null; right: number | null }>({ target, left: null, right: null })
  const current = picked.target === target ? picked : { target, left: null, right: null }
  const leftId = current.left ?? versions.find((m) => m.active)?.id ?? versions[0]?.id ?? null
  const rightId = current.right ?? versions.find((m) => m.id !== leftId)?.id ?? null
  const left = useEvaluationQuery('eval.report', leftId === null ? null : { target, source: 'holdout', modelId: leftId })
  const right = useEvaluationQuery('eval.report', rightId === null ? null : { target, source: 'holdout', modelId: rightId })

  if (versions.length < 2) return <p className="empty-results">Only one version of the {target} model so far: train again on the Models page to compare versions.</p>

  const names = ['Held-out tickets', ...HEADLINE_NAMES]
  const title = (id: number | null, fallback: string) => {
    const m = versions.find((v) => v.id === id)
    return m ? `v${m.version}` : fallback
  }
  const a = column(left.data, left.loading)
  const b = column(right.data, right.loading)
  const choose = (side: 'left' | 'right', id: number) => setPicked({ ...current, left: leftId, right: rightId, [side]: id })

  return (
    <div>
      <div className="toolbar">
        <VersionSelect label="Version A" versions={versions} value={leftId} onChange={(id) => choose('left', id)} />
        <VersionSelect label="Version B" versions={versions} value={rightId} onChange={(id) => choose('right', id)} />
      </div>
      {(left.error || right.error) && <p role="alert" className="error">{left.error ?? right.error}</p>}
      <table className="eval-table" aria-label="Model comparison">
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col">{title(leftId, 'A')}</th>
            <th scope="col">{title(rightId, 'B')}</th>
          </tr>
        </thead>
        <tbody>
          {names.map((name, i) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{a[i]}</td>
              <td>{b[i]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        Each version is measured on its own held-out split{left.data && right.data && left.data.n !== right.data.n ? ' (the splits differ in size, so compare with care)' : ''}.
      </p>
      <SameData versions={versions} leftId={leftId} rightId={rightId} />
    </div>
  )
}

function VersionSelect(props: { label: string; versions: readonly ModelSummary[]; value: number | null; onChange: (id: number) => void }) {
  const byId = new Map(props.versions.map((m) => [m.id, m]))
  return (
    <label>
      {props.label}{' '}
      <select value={props.value ?? ''} onChange={(e) => props.onChange(Number(e.target.value))}>
        <ValueOptions values={props.versions.map((m) => m.id)} label={(id) => versionName(byId.get(id)!)} />
      </select>
    </label>
  )
}

/**
 * When one of the two was trained while the other was active, training scored both on the same tickets,
 * labelled after the older one was made, that neither trained on: the fair comparison, shown as such.
 */
function SameData({ versions, leftId, rightId }: { versions: readonly ModelSummary[]; leftId: number | null; rightId: number | null }) {
  const left = versions.find((v) => v.id === leftId)
  const right = versions.find((v) => v.id === rightId)
  if (!left || !right) return null
  const [newer, older] = left.comparedWith?.modelId === right.id ? [left, right] : right.comparedWith?.modelId === left.id ? [right, left] : [null, null]
  const c = newer?.comparedWith
  if (!newer || !older || !c) return null
  return (
    <table className="eval-table" aria-label="Same tickets comparison">
      <caption>
        On the same {c.tickets.toLocaleString('en-US')} held-out tickets labelled after v{older.version} was trained (neither version trained on them)
      </caption>
      <thead>
        <tr>
          <th scope="col">Figure</th>
          <th scope="col">v{newer.version}</th>
          <th scope="col">v{older.version}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">Accuracy</th>
          <td>{percent(c.mine.accuracy)}</td>
          <td>{percent(c.theirs.accuracy)}</td>
        </tr>
        <tr>
          <th scope="row">Macro-F1</th>
          <td>{threeDecimals(c.mine.macroF1)}</td>
          <td>{threeDecimals(c.theirs.macroF1)}</td>
        </tr>
      </tbody>
    </table>
  )
}
