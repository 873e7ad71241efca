// Reading a model folder someone handed us (a USB stick, a download) must not become a way to read other
// files: a link inside it that leads out of it is refused, and an error about a file names the file and
// what is wrong with it, never a piece of its content (V8's JSON errors quote the text they choke on).
import { lstatSync, readdirSync, realpathSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { EngineError } from '../../../shared/errors.ts'

/** The folders a model is read from: the folder itself and Hugging Face's onnx/ layout. */
const READ_LEVELS = ['', 'onnx']

/** Refuses a folder holding a symbolic link (file or folder) that resolves outside it. */
export function assertNoLinksOut(dir: string): void {
  const root = realpathSync(dir)
  for (const level of READ_LEVELS) {
    const folder = join(dir, level)
    let entries: string[]
    try {
      entries = readdirSync(folder)
    } catch {
      continue
    }
    for (const name of entries) {
      const path = join(folder, name)
      if (!lstatSync(path).isSymbolicLink()) continue
      let target: string
      try {
        target = realpathSync(path)
      } catch {
        throw new EngineError('MODEL_INVALID', `${path} is a link to nothing; copy the file itself into the model folder.`)
      }
      const inside = relative(root, target)
      if (inside === '' || inside.startsWith('..') || inside.startsWith(sep) || /^[a-zA-Z]:/.test(inside)) {
        throw new EngineError('MODEL_INVALID', `${path} is a link that leads outside the model folder; copy the file itself into the folder.`)
      }
    }
  }
}

/** Why a file is not JSON, by position only. */
export function jsonErrorWithoutContent(err: unknown): string {
  const message = err instanceof Error ? err.message : ''
  const position = /position (\d+)/.exec(message)
  return position ? `not valid JSON (at character ${position[1]})` : 'not valid JSON'
}
