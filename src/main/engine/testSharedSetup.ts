// Vitest global setup: one line, once per run, when the real datasets or models are absent, so a skipped
// test is never mistaken for a passing one.
import { missingSharedNote, SHARED_MODELS } from './testShared.ts'

export default function setup(): void {
  const note = missingSharedNote()
  if (note) console.log(`\n⚠ ${note}\n`)
  // The engine finds the shared models through TRIAGE_MODELS_DIR, as `npm test` sets it; a plain `npx vitest`
  // with ../shared beside the checkout gets the same (the forked test workers inherit it).
  if (!process.env.TRIAGE_MODELS_DIR && SHARED_MODELS) process.env.TRIAGE_MODELS_DIR = SHARED_MODELS
}
