import { describe, expect, it } from 'vitest'
import { minimiseLbfgs } from './lbfgs.ts'
import { seededRandom } from './trainingSplit.ts'

describe('L-BFGS', () => {
  it('finds the minimum of the Rosenbrock valley', () => {
    const x = Float64Array.from([-1.2, 1])
    minimiseLbfgs(
      (p, g) => {
        const [a, b] = [p[0]!, p[1]!]
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a)
        g[1] = 200 * (b - a * a)
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2
      },
      x,
      { maxIterations: 500, tolerance: 1e-14 }
    )
    expect(x[0]).toBeCloseTo(1, 4)
    expect(x[1]).toBeCloseTo(1, 4)
  })

  it('solves an ill-conditioned quadratic with a short memory that wraps many times, preconditioned or not', () => {
    const random = seededRandom(5)
    const n = 300
    // f(x) = ½ Σ h_i (x_i − t_i)² + ¼ Σ (x_i − x_{i+1})²: curvatures over four orders of magnitude, coupled.
    const h = Float64Array.from({ length: n }, () => 10 ** (random() * 4 - 2))
    const t = Float64Array.from({ length: n }, () => random() * 2 - 1)
    const objective = (x: Float64Array, g: Float64Array): number => {
      let f = 0
      for (let i = 0; i < n; i++) {
        f += 0.5 * h[i]! * (x[i]! - t[i]!) ** 2
        g[i] = h[i]! * (x[i]! - t[i]!)
      }
      for (let i = 0; i + 1 < n; i++) {
        const d = x[i]! - x[i + 1]!
        f += 0.25 * d * d
        g[i]! += 0.5 * d
        g[i + 1]! -= 0.5 * d
      }
      return f
    }
    const gradientNorm = (x: Float64Array): number => {
      const g = new Float64Array(n)
      objective(x, g)
      return Math.sqrt(g.reduce((a, v) => a + v * v, 0))
    }
    for (const diagonal of [undefined, Float64Array.from(h, (v) => 1 / (v + 1))]) {
      const x = new Float64Array(n)
      const run = minimiseLbfgs(objective, x, { maxIterations: 3000, memory: 3, tolerance: 1e-15, diagonal })
      expect(run.iterations).toBeGreaterThan(3)
      expect(gradientNorm(x)).toBeLessThan(1e-3)
    }
  })

  it('takes quasi-Newton steps: a 6-dimensional quadratic with condition 10⁴ is solved in a few dozen iterations', () => {
    // With memory ≥ dimension, L-BFGS learns the whole curvature; a wrong two-loop recursion (a stale
    // dot product, a misplaced scale) still converges, but in hundreds of iterations, not a dozen.
    const h = [1e-2, 0.1, 1, 3, 10, 100]
    const iterationsTo = (tolerance: number): number => {
      const x = new Float64Array(6)
      let iterations = 0
      minimiseLbfgs(
        (p, g) => {
          let f = 0
          for (let i = 0; i < 6; i++) {
            f += 0.5 * h[i]! * (p[i]! - 1) ** 2
            g[i] = h[i]! * (p[i]! - 1)
          }
          return f
        },
        x,
        { maxIterations: 1000, memory: 10, tolerance: 0, shouldStop: (it, p) => ((iterations = it), p.every((v) => Math.abs(v - 1) < tolerance)) }
      )
      return iterations
    }
    // 32 here (the first step is a short gradient step the line search must find); a broken recursion: 1,000.
    expect(iterationsTo(1e-6)).toBeLessThanOrEqual(40)
  })
})

