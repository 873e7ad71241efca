// The app's state in the words a support lead uses: which model reads the tickets and where it runs,
// never "no ONNX session yet · tfidf-hash-512".
import type { ModelStatus } from '../../shared/models.ts'

/** The built-in fallback: hashed word and character counts, no download. */
export const BUILT_IN_WORDS = 'built-in word features'

/** The model similar tickets and new trainings use, by the name a person knows it by. */
export function activeModelName(status: ModelStatus): string {
  const active = status.embedders.find((e) => e.name === status.activeEmbedder)
  return active ? active.displayName : BUILT_IN_WORDS
}

const PROVIDER_WORDS: Readonly<Record<string, string>> = {
  cpu: 'CPU',
  cuda: 'the NVIDIA GPU (CUDA)',
  coreml: 'the Apple GPU (CoreML)',
  dml: 'the GPU (DirectML)'
}

/** Where the model runs; null before a model has been loaded (it loads at first use). */
export function providerWords(provider: string | null): string | null {
  return provider === null ? null : (PROVIDER_WORDS[provider] ?? provider)
}

/** "Model: all-MiniLM-L6-v2, on CPU" — what the status bar says. */
export function modelLine(status: ModelStatus): string {
  const where = providerWords(status.provider)
  const name = activeModelName(status)
  if (name === BUILT_IN_WORDS) return `Model: ${BUILT_IN_WORDS}`
  return where ? `Model: ${name}, on ${where}` : `Model: ${name}`
}

/** How an embedder makes one vector of a ticket, said plainly. */
export function poolingWords(pooling: 'pooled' | 'mean'): string {
  return pooling === 'mean' ? 'averages its word vectors' : "uses the model's own sentence vector"
}
