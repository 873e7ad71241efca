// The mapping step's data: the detected encoding and delimiter, the headers, the first rows and the
// auto-mapped columns, so the user can check and fix them before importing.
import type { CsvPreview } from '../../../shared/domain.ts'
import { autoMap } from './autoMap.ts'
import type { CsvSource } from './csvSource.ts'

export async function previewCsv(source: CsvSource, rows = 20): Promise<CsvPreview> {
  const sampleRows: string[][] = []
  for await (const r of source.records()) {
    sampleRows.push(r.fields.map((f) => (f.length > 500 ? `${f.slice(0, 500)}…` : f)))
    if (sampleRows.length >= rows) break
  }
  const { preset, mapping } = autoMap(source.headers, sampleRows)
  return {
    fileName: source.fileName,
    bytes: source.bytes,
    encoding: source.encoding,
    delimiter: source.delimiter,
    headers: source.headers,
    sampleRows,
    preset,
    mapping
  }
}
