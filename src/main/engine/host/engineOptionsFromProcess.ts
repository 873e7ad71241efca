// Both engine hosts take their options the same way: `--db PATH` / `--models DIR` on the command line,
// else TRIAGE_DB_PATH / TRIAGE_MODELS_DIR in the environment (utilityProcess.fork passes either).
import type { EngineOptions } from '../api/engine.ts'

export function engineOptionsFromProcess(argv: readonly string[], env: NodeJS.ProcessEnv): EngineOptions {
  const dbPath = flagValue(argv, '--db') ?? env.TRIAGE_DB_PATH
  if (!dbPath) throw new Error('engine host: no database path (pass --db PATH or set TRIAGE_DB_PATH)')
  const modelsDir = flagValue(argv, '--models') ?? env.TRIAGE_MODELS_DIR
  return modelsDir ? { dbPath, modelsDir } : { dbPath }
}

function flagValue(argv: readonly string[], flag: string): string | undefined {
  const at = argv.indexOf(flag)
  if (at >= 0) return argv[at + 1]
  const inline = argv.find((arg) => arg.startsWith(`${flag}=`))
  return inline?.slice(flag.length + 1)
}
