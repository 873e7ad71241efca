// Prediction drift between two periods: how differently the model routes this period's tickets compared
// with a reference period. Population stability index with the usual bands (< 0.1 stable, 0.1–0.2
// moderate, > 0.2 significant) and the Jensen–Shannon distance (base 2, so 0 = same, 1 = disjoint).
export type DriftBand = 'stable' | 'moderate' | 'significant'

export interface DriftReport {
  readonly psi: number
  readonly jsDistance: number
  readonly band: DriftBand
  readonly referenceTotal: number
  readonly currentTotal: number
  readonly perClass: readonly { readonly label: string; readonly reference: number; readonly current: number }[]
}

/** A queue absent from one period would make PSI infinite; this floor is the usual fix. */
const EPSILON = 1e-4

function shares(counts: ReadonlyMap<string, number>, labels: readonly string[]): number[] {
  const total = labels.reduce((s, l) => s + (counts.get(l) ?? 0), 0)
  return labels.map((l) => (total === 0 ? 0 : (counts.get(l) ?? 0) / total))
}

export function populationStabilityIndex(reference: readonly number[], current: readonly number[]): number {
  let psi = 0
  reference.forEach((r, i) => {
    const a = Math.max(r, EPSILON)
    const b = Math.max(current[i] ?? 0, EPSILON)
    psi += (b - a) * Math.log(b / a)
  })
  return psi
}

export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  const kl = (a: readonly number[], m: readonly number[]): number =>
    a.reduce((s, ai, i) => (ai > 0 ? s + ai * Math.log2(ai / m[i]!) : s), 0)
  const m = p.map((pi, i) => (pi + (q[i] ?? 0)) / 2)
  const js = 0.5 * kl(p, m) + 0.5 * kl(q, m)
  return Math.sqrt(Math.max(0, js))
}

export function driftBand(psi: number): DriftBand {
  return psi < 0.1 ? 'stable' : psi <= 0.2 ? 'moderate' : 'significant'
}

/** Null when either period has no tickets: there is nothing to compare, and no number should pretend otherwise. */
export function predictionDrift(reference: readonly string[], current: readonly string[]): DriftReport | null {
  if (reference.length === 0 || current.length === 0) return null
  const count = (xs: readonly string[]): Map<string, number> => {
    const m = new Map<string, number>()
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1)
    return m
  }
  const ref = count(reference)
  const cur = count(current)
  const labels = [...new Set([...ref.keys(), ...cur.keys()])].sort()
  const p = shares(ref, labels)
  const q = shares(cur, labels)
  const psi = populationStabilityIndex(p, q)
  return {
    psi,
    jsDistance: jensenShannonDistance(p, q),
    band: driftBand(psi),
    referenceTotal: reference.length,
    currentTotal: current.length,
    perClass: labels.map((label, i) => ({ label, reference: p[i]!, current: q[i]! }))
  }
}
