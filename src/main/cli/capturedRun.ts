// For tests of CLI commands: runs one with stdout and stderr captured instead of printed.
import { vi } from 'vitest'

export interface CapturedRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export async function capturedRun(command: (argv: string[]) => Promise<number>, argv: string[]): Promise<CapturedRun> {
  let stdout = ''
  let stderr = ''
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true))
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true))
  try {
    return { code: await command(argv), stdout, stderr }
  } finally {
    out.mockRestore()
    err.mockRestore()
  }
}
