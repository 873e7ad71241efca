// The validation split that calibration, the blend weight and thresholds are fitted on.

/** Small deterministic PRNG (mulberry32): the same data and seed give the same split and model. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Split {
  train: number[]
  validation: number[]
  method: 'stratified' | 'time' | 'none'
}

/**
 * Time-based when dates are given for (nearly) every row: the newest share validates, as the model
 * will meet newer tickets than it learnt from. Otherwise stratified per class; a class with a single
 * example stays in training (it cannot be both learnt and validated).
 */
export function splitForValidation(labels: Int32Array, share: number, seed: number, dates?: ReadonlyArray<number | null>): Split {
  const n = labels.length
  const all = Array.from({ length: n }, (_, i) => i)
  if (share <= 0 || n < 4) return { train: all, validation: [], method: 'none' }
  const dated = dates ? dates.filter((d) => d !== null && Number.isFinite(d)).length : 0
  if (dates && dated >= 0.9 * n) {
    const order = all.sort((a, b) => (dates[a] ?? -Infinity) - (dates[b] ?? -Infinity) || a - b)
    const cut = Math.max(1, Math.round(n * (1 - share)))
    return { train: order.slice(0, cut).sort((a, b) => a - b), validation: order.slice(cut).sort((a, b) => a - b), method: 'time' }
  }
  const random = seededRandom(seed)
  const byClass = new Map<number, number[]>()
  for (let i = 0; i < n; i++) {
    const list = byClass.get(labels[i]!) ?? []
    list.push(i)
    byClass.set(labels[i]!, list)
  }
  const train: number[] = []
  const validation: number[] = []
  for (const rows of byClass.values()) {
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[rows[i], rows[j]] = [rows[j]!, rows[i]!]
    }
    const take = rows.length >= 2 ? Math.min(rows.length - 1, Math.max(1, Math.round(rows.length * share))) : 0
    validation.push(...rows.slice(0, take))
    train.push(...rows.slice(take))
  }
  return { train: train.sort((a, b) => a - b), validation: validation.sort((a, b) => a - b), method: 'stratified' }
}
