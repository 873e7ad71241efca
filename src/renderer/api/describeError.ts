// Turns whatever a request rejected with into one line a support agent can act on.
import { EngineError } from '../../shared/errors.ts'

export function describeError(err: unknown): string {
  if (err instanceof EngineError) return err.message
  if (err instanceof Error) return err.message
  return String(err)
}
