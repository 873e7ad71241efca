// Which onnxruntime execution provider to use: the best available one, falling back in order, with the
// reason for every fallback kept so that the UI and `triage doctor` can show why we run on CPU.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import * as ort from 'onnxruntime-node'

export type ProviderChoice = 'cuda' | 'coreml' | 'dml' | 'cpu' | 'auto'
type Provider = Exclude<ProviderChoice, 'auto'>

export function providerOrder(choice: ProviderChoice, platform = process.platform): Provider[] {
  if (choice !== 'auto') return choice === 'cpu' ? ['cpu'] : [choice, 'cpu']
  const order: Provider[] = ['cuda']
  if (platform === 'darwin') order.push('coreml')
  if (platform === 'win32') order.push('dml')
  order.push('cpu')
  return order
}

/**
 * One intra-op thread per core, at most 4: beyond that MiniLM-size models gain little, and on a 2-core
 * machine a third thread only steals time from tokenisation and the UI.
 */
export function defaultIntraOpThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()))
}

export interface CreatedSession {
  session: ort.InferenceSession
  provider: Provider
  notes: string[]
}

export async function createSession(
  /** A file, or the bytes of a model rewritten in memory (int8 weights). */
  model: string | Uint8Array,
  choice: ProviderChoice,
  intraOpNumThreads = defaultIntraOpThreads()
): Promise<CreatedSession> {
  const notes: string[] = []
  const backends = new Set(ort.listSupportedBackends?.().map((b) => b.name) ?? [])
  let lastError: Error | undefined
  for (const provider of providerOrder(choice)) {
    if (provider !== 'cpu' && backends.size > 0 && !backends.has(provider)) {
      notes.push(`${provider}: not in this onnxruntime-node build (has ${[...backends].join(', ')})`)
      continue
    }
    const missingLibrary = providerLibraryMissing(provider)
    if (missingLibrary) {
      notes.push(missingLibrary)
      continue
    }
    try {
      const options: ort.InferenceSession.SessionOptions = {
        executionProviders: [provider],
        intraOpNumThreads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        // Idle intra-op threads otherwise spin for a while after each run; on a 2-core machine that
        // spinning steals the core the JS thread needs to tokenise the next batch.
        extra: { session: { intra_op: { allow_spinning: '0' } } }
      }
      const session = typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options)
      return { session, provider, notes }
    } catch (err) {
      lastError = err as Error
      notes.push(`${provider}: session creation failed: ${lastError.message.split('\n')[0]}`)
    }
  }
  throw new Error(`no execution provider could load ${typeof model === 'string' ? model : 'the model'}: ${notes.join('; ')}`, { cause: lastError })
}

/**
 * onnxruntime-node ships CUDA as a separate download (its install script, skipped offline). Without
 * the library, session creation fails anyway and ORT prints a native error to stderr; checking first
 * keeps the console clean and the note readable.
 */
function providerLibraryMissing(provider: Provider): string | undefined {
  if (provider !== 'cuda') return undefined
  try {
    const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json')
    const libDir = join(dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch)
    const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so'
    if (!existsSync(join(libDir, lib))) {
      return `cuda: ${lib} is not installed (run ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install online)`
    }
  } catch (err) {
    return `cuda: cannot locate onnxruntime-node's binaries: ${(err as Error).message}`
  }
  return undefined
}
