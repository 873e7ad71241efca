import type { EngineErrorShape, ErrorCode } from './contract.ts'

/** An error that crosses the engine boundary as `{ code, message, details }`, never as a stack trace. */
export class EngineError extends Error {
  readonly code: ErrorCode
  readonly details?: Readonly<Record<string, unknown>>

  constructor(code: ErrorCode, message: string, details?: Readonly<Record<string, unknown>>) {
    super(message)
    this.name = 'EngineError'
    this.code = code
    if (details) this.details = details
  }

  toShape(): EngineErrorShape {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message }
  }

  static from(shape: EngineErrorShape): EngineError {
    return new EngineError(shape.code, shape.message, shape.details)
  }
}

/** Anything thrown inside the engine becomes a stable shape; unknown failures say INTERNAL without a stack. */
export function toErrorShape(err: unknown): EngineErrorShape {
  if (err instanceof EngineError) return err.toShape()
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'INTERNAL', message }
}
