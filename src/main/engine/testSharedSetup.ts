// Vitest global setup: one line, once per run, when the real datasets or models are absent, so a skipped
// test is never mistaken for a passing one.
import { missingSharedNote } from './testShared.ts'

export default function setup(): void {
  const note = missingSharedNote()
  if (note) console.log(`\n⚠ ${note}\n`)
}
