// The first rows of the file as parsed, so the user can see whether encoding and delimiter are right.
import type { CsvPreview } from '../../shared/domain.ts'

export function CsvSampleTable({ preview }: { preview: CsvPreview }) {
  return (
    <div className="sample-scroll">
      <table className="sample" aria-label="First rows of the file">
        <thead>
          <tr>
            {preview.headers.map((header, i) => (
              <th key={i} scope="col">
                {header || `(column ${i + 1})`}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.sampleRows.map((row, r) => (
            <tr key={r}>
              {preview.headers.map((_, c) => (
                <td key={c} title={row[c] ?? ''}>
                  {truncate(row[c] ?? '')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}…` : text
}
