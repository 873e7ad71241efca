// Whether a model installed from a folder may run on int8 weights on CPU (onnxQuantize.ts rewrites its
// fp32 MatMul weights at load, 2–3x faster). For the committed models that was checked once, by hand;
// a model we have never seen is checked at install: its int8 vectors must stay close to its fp32 ones on
// probe tickets in the languages support teams write in.
import { EmbedderLoadError, loadEmbedder } from './embedder.ts'
import type { ModelManifest } from './modelManifest.ts'

/** Below this cosine to fp32, on any probe, the model keeps running in fp32. */
export const INT8_MIN_COSINE = 0.99

const PROBES = [
  'Cannot connect to the VPN since this morning, error 809',
  'Printer on the 3rd floor shows paper jam but there is no paper stuck',
  'Please reset the password for my account, I am locked out',
  'Refund for order #48213 has not arrived after two weeks',
  'Der Server antwortet nicht mehr, alle Dienste sind ausgefallen',
  'Bitte um Freigabe der Lizenz für Adobe Photoshop',
  'Mon ordinateur portable ne démarre plus après la mise à jour',
  'La factura de este mes tiene un cargo duplicado',
  'Não consigo acessar o painel de administração desde ontem',
  'Outlook crashes when opening attachments larger than 10 MB'
]

export interface Int8Verdict {
  readonly cpuInt8: boolean
  readonly note: string
}

export async function int8Verdict(manifest: ModelManifest, dir: string): Promise<Int8Verdict> {
  const int8 = await loadEmbedder({ ...manifest, cpuInt8: true }, { dir, provider: 'cpu', filesVerified: true })
  try {
    if (!int8.providerNotes.some((n) => n.includes('quantised to int8'))) {
      return { cpuInt8: false, note: 'no fp32 MatMul weights to quantise (the file is int8 already, or laid out otherwise)' }
    }
    const fp32 = await loadEmbedder({ ...manifest, cpuInt8: false }, { dir, provider: 'cpu', filesVerified: true })
    let a: Float32Array
    let b: Float32Array
    try {
      ;[a, b] = [await fp32.embed(PROBES), await int8.embed(PROBES)]
    } finally {
      await fp32.close()
    }
    const dim = manifest.dimension
    let min = 1
    for (let r = 0; r < PROBES.length; r++) {
      let dot = 0
      for (let k = 0; k < dim; k++) dot += a[r * dim + k]! * b[r * dim + k]!
      min = Math.min(min, dot)
    }
    const measured = `min cosine ${min.toFixed(4)} to fp32 on ${PROBES.length} probe tickets in 5 languages, checked at install`
    return min >= INT8_MIN_COSINE
      ? { cpuInt8: true, note: `int8 weights on CPU: ${measured}` }
      : { cpuInt8: false, note: `kept in fp32: int8 vectors drift (${measured}; needs ${INT8_MIN_COSINE})` }
  } catch (err) {
    if (err instanceof EmbedderLoadError) return { cpuInt8: false, note: `kept in fp32: int8 weights do not load (${err.message})` }
    throw err
  } finally {
    await int8.close()
  }
}
