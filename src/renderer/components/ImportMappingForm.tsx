// The mapping step: which column feeds each ticket field, which columns become label targets (and
// their names), and encoding / delimiter overrides (changing either re-reads the preview).
import { useId } from 'react'
import { TICKET_FIELDS, type CsvPreview, type TicketField } from '../../shared/domain.ts'
import type { MappingDraft, TargetChoice } from './mappingDraft.ts'
import { DELIMITERS, DELIMITER_NAMES, ENCODINGS, FIELD_NAMES, type CsvDelimiter, type CsvEncoding } from './csvFormats.ts'
import { ValueOptions } from './ValueOptions.tsx'

interface Props {
  readonly preview: CsvPreview
  readonly draft: MappingDraft
  readonly onDraftChange: (draft: MappingDraft) => void
  readonly encoding: CsvEncoding | undefined
  readonly delimiter: CsvDelimiter | undefined
  readonly onFormatChange: (format: { encoding: CsvEncoding | undefined; delimiter: CsvDelimiter | undefined }) => void
  readonly disabled: boolean
}

export function ImportMappingForm({ preview, draft, onDraftChange, encoding, delimiter, onFormatChange, disabled }: Props) {
  const id = useId()
  const setField = (field: TicketField, value: string) => {
    const fields = { ...draft.fields }
    if (value === '') delete fields[field]
    else fields[field] = Number(value)
    onDraftChange({ ...draft, fields })
  }
  const setTarget = (index: number, change: Partial<TargetChoice>) => {
    const targets = draft.targets.map((t, i) => (i === index ? { ...t, ...change } : t))
    onDraftChange({ ...draft, targets })
  }

  return (
    <div className="mapping">
      <fieldset disabled={disabled}>
        <legend>File format</legend>
        <div className="form-grid">
          <label htmlFor={`${id}-enc`}>Encoding</label>
          <select
            id={`${id}-enc`}
            value={encoding ?? ''}
            onChange={(e) => onFormatChange({ encoding: (e.target.value || undefined) as CsvEncoding | undefined, delimiter })}
          >
            <option value="">Detected ({preview.encoding})</option>
            <ValueOptions values={ENCODINGS} />
          </select>
          <label htmlFor={`${id}-delim`}>Delimiter</label>
          <select
            id={`${id}-delim`}
            value={delimiter ?? ''}
            onChange={(e) => onFormatChange({ encoding, delimiter: (e.target.value || undefined) as CsvDelimiter | undefined })}
          >
            <option value="">Detected ({DELIMITER_NAMES[preview.delimiter] ?? preview.delimiter})</option>
            <ValueOptions values={DELIMITERS} label={(d: CsvDelimiter) => DELIMITER_NAMES[d] ?? d} />
          </select>
        </div>
      </fieldset>

      <fieldset disabled={disabled}>
        <legend>Ticket fields</legend>
        <div className="form-grid">
          {TICKET_FIELDS.map((field) => (
            <FieldSelect key={field} id={`${id}-${field}`} field={field} headers={preview.headers} value={draft.fields[field]} onChange={setField} />
          ))}
        </div>
      </fieldset>

      <fieldset disabled={disabled}>
        <legend>Label targets</legend>
        <p className="hint">Columns whose values the model learns to predict (queue, type, …).</p>
        <ul className="target-list">
          {preview.headers.map((header, index) => {
            const choice = draft.targets[index] ?? { enabled: false, name: '' }
            const label = header || `column ${index + 1}`
            return (
              <li key={index}>
                <label>
                  <input type="checkbox" checked={choice.enabled} onChange={(e) => setTarget(index, { enabled: e.target.checked })} />
                  {label}
                </label>
                <input
                  type="text"
                  aria-label={`Target name for ${label}`}
                  value={choice.name}
                  maxLength={100}
                  disabled={disabled || !choice.enabled}
                  onChange={(e) => setTarget(index, { name: e.target.value })}
                />
              </li>
            )
          })}
        </ul>
      </fieldset>
    </div>
  )
}

function FieldSelect(props: {
  id: string
  field: TicketField
  headers: readonly string[]
  value: number | undefined
  onChange: (field: TicketField, value: string) => void
}) {
  return (
    <>
      <label htmlFor={props.id}>{FIELD_NAMES[props.field]}</label>
      <select id={props.id} value={props.value === undefined ? '' : String(props.value)} onChange={(e) => props.onChange(props.field, e.target.value)}>
        <option value="">— not in this file —</option>
        {props.headers.map((header, i) => (
          <option key={i} value={String(i)}>
            {header || `(column ${i + 1})`}
          </option>
        ))}
      </select>
    </>
  )
}
