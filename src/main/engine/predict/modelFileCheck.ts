// Checks every trained head's files against the models table: each must exist and hash to the sha256 its
// row records. A head whose file is gone or altered cannot predict (and a damaged graph makes predictions
// fall back to JavaScript), so `triage doctor` reports them with what to do.
import { readFileSync } from 'node:fs'
import type { ModelFileProblem } from '../../../shared/models.ts'
import { sha256OfBytes } from '../inference/fileChecksum.ts'
import type { Db } from '../store/database.ts'
import { listHeads } from './modelsRepo.ts'

export function modelFileProblems(db: Db): ModelFileProblem[] {
  const problems: ModelFileProblem[] = []
  for (const head of listHeads(db)) {
    const { id: modelId, target, version, active } = head.summary
    const files: { role: ModelFileProblem['role']; path: string; sha256: string }[] = [{ role: 'head', path: head.file, sha256: head.summary.sha256 }]
    if (head.graph) files.push({ role: 'graph', ...head.graph })
    for (const f of files) {
      const problem = fileProblem(f.path, f.sha256)
      if (!problem) continue
      const remedy = f.role === 'graph' ? 'it predicts with the same weights in JavaScript; train again to restore the graph' : active ? 'train this target again' : 'this version cannot be restored; train again if it is needed'
      problems.push({
        modelId, target, version, active, role: f.role, path: f.path, problem,
        message: `${target} v${version}${active ? ' (active)' : ''}: the ${f.role === 'head' ? 'head' : 'ONNX graph'} file ${f.path} ${problem === 'missing' ? 'is missing' : 'does not match its sha256'}; ${remedy}.`
      })
    }
  }
  return problems
}

function fileProblem(path: string, sha256: string): ModelFileProblem['problem'] | null {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch {
    return 'missing'
  }
  return sha256OfBytes(bytes) === sha256 ? null : 'checksum'
}
