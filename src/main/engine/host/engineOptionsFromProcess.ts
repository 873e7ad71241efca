// Both engine hosts take their options the same way: `--db PATH` (else TRIAGE_DB_PATH) and `--models DIR`
// on the command line. `--models` is where installs go and removals happen, next to the database unless
// given; it is never taken from TRIAGE_MODELS_DIR, a folder the engine only reads (often a shared one).
import type { EngineOptions } from '../api/engine.ts'

export function engineOptionsFromProcess(argv: readonly string[], env: NodeJS.ProcessEnv): EngineOptions {
  const dbPath = flagValue(argv, '--db') ?? env.TRIAGE_DB_PATH
  if (!dbPath) throw new Error('engine host: no database path (pass --db PATH or set TRIAGE_DB_PATH)')
  const modelsDir = flagValue(argv, '--models')
  return modelsDir ? { dbPath, modelsDir } : { dbPath }
}

function flagValue(argv: readonly string[], flag: string): string | undefined {
  const at = argv.indexOf(flag)
  if (at >= 0) return argv[at + 1]
  const inline = argv.find((arg) => arg.startsWith(`${flag}=`))
  return inline?.slice(flag.length + 1)
}
