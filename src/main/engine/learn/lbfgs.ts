// Limited-memory BFGS with a backtracking (Armijo) line search. Full-batch: a ticket head has at most
// a few million parameters and the gradient pass is sparse, so quasi-Newton converges in a few dozen
// passes (with the diagonal preconditioner; ~100+ without) where SGD needs tuning per data set.

export interface LbfgsOptions {
  maxIterations: number
  memory?: number
  /** Stop when the relative loss decrease over 5 iterations falls below this. */
  tolerance?: number
  onIteration?: (iteration: number, loss: number) => void
  /** Asked after each accepted step (x is the new point); true ends the run (early stopping). */
  shouldStop?: (iteration: number, x: Float64Array) => boolean
  signal?: AbortSignal
  /**
   * Curvature pairs to start from and to leave the run's pairs in. A warm-started refit on a few more
   * rows has nearly the same curvature as the fit it starts from: with the old pairs its first steps are
   * quasi-Newton steps, not a gradient step whose length the line search must find by halving.
   */
  memoryState?: LbfgsMemory
  /**
   * Diagonal preconditioner: the shape of the initial inverse Hessian (H0 = γ·diag), e.g. 1 / (mean
   * squared feature value + l2) per parameter. Without it a rare word's weights, whose curvature is
   * thousands of times smaller than the bias's, take most of the iterations to move.
   */
  diagonal?: Float64Array
  /**
   * The diagonal is the inverse curvature itself (not only its shape): the first step is diagonal · −g
   * as it stands, a Newton step where the diagonal is right, instead of a unit step the line search sizes.
   */
  diagonalIsInverseCurvature?: boolean
}

export interface LbfgsMemory {
  S: Float32Array[]
  Y: Float32Array[]
  rho: number[]
}

export type Objective = (x: Float64Array, gradient: Float64Array) => number

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

export function minimiseLbfgs(objective: Objective, x: Float64Array, options: LbfgsOptions): { loss: number; iterations: number } {
  const m = options.memory ?? 8
  const tol = options.tolerance ?? 1e-4
  const n = x.length
  const g = new Float64Array(n)
  const gNew = new Float64Array(n)
  const xNew = new Float64Array(n)
  const dir = new Float64Array(n)
  // History in float32 halves the memory of the largest buffers; curvature pairs tolerate it.
  const state = options.memoryState ?? { S: [], Y: [], rho: [] }
  if (state.S.some((s) => s.length !== n)) state.S.length = state.Y.length = state.rho.length = 0
  const { S, Y, rho } = state
  const alpha = new Float64Array(m)
  let loss = objective(x, g)
  const history: number[] = [loss]
  let iteration = 0
  for (; iteration < options.maxIterations; iteration++) {
    if (options.signal?.aborted) throw new DOMException('training cancelled', 'AbortError')
    // Two-loop recursion: dir = -H·g. Each pass over a curvature pair also takes the next pair's dot
    // product with the updated direction, so the recursion reads dir 2m + 2 times instead of 4m: at a
    // million parameters these passes were a fifth of a training's time (CPU profile of bench:train).
    for (let i = 0; i < n; i++) dir[i] = -g[i]!
    const last = S.length - 1
    let ahead = last >= 0 ? dot(S[last]!, dir) : 0
    for (let j = last; j >= 0; j--) {
      alpha[j] = rho[j]! * ahead
      const a = alpha[j]!
      const y = Y[j]!
      const sNext = j > 0 ? S[j - 1]! : undefined
      let next = 0
      if (sNext) {
        for (let i = 0; i < n; i++) {
          const d = dir[i]! - a * y[i]!
          dir[i] = d
          next += sNext[i]! * d
        }
      } else for (let i = 0; i < n; i++) dir[i]! -= a * y[i]!
      ahead = next
    }
    const D = options.diagonal
    if (S.length) {
      const yl = Y[last]!
      let yDy = 0
      if (D) for (let i = 0; i < n; i++) yDy += yl[i]! * yl[i]! * D[i]!
      else yDy = dot(yl, yl)
      const gamma = dot(S[last]!, yl) / yDy
      if (D) for (let i = 0; i < n; i++) dir[i]! *= gamma * D[i]!
      else for (let i = 0; i < n; i++) dir[i]! *= gamma
    } else {
      if (D) for (let i = 0; i < n; i++) dir[i]! *= D[i]!
      if (!(D && options.diagonalIsInverseCurvature)) {
        const norm = Math.sqrt(dot(dir, dir)) || 1
        for (let i = 0; i < n; i++) dir[i]! /= norm
      }
    }
    ahead = S.length ? dot(Y[0]!, dir) : 0
    for (let j = 0; j < S.length; j++) {
      const move = alpha[j]! - rho[j]! * ahead
      const s = S[j]!
      const yNext = j + 1 < S.length ? Y[j + 1]! : undefined
      let next = 0
      if (yNext) {
        for (let i = 0; i < n; i++) {
          const d = dir[i]! + move * s[i]!
          dir[i] = d
          next += yNext[i]! * d
        }
      } else for (let i = 0; i < n; i++) dir[i]! += move * s[i]!
      ahead = next
    }
    let slope = dot(g, dir)
    if (slope >= 0) {
      // Not a descent direction (stale curvature): restart from steepest descent.
      S.length = Y.length = rho.length = 0
      for (let i = 0; i < n; i++) dir[i] = -g[i]!
      slope = -dot(g, g)
    }
    let step = 1
    let lossNew = Infinity
    for (let tries = 0; tries < 30; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * dir[i]!
      lossNew = objective(xNew, gNew)
      if (Number.isFinite(lossNew) && lossNew <= loss + 1e-4 * step * slope) break
      step *= 0.5
    }
    if (!(lossNew < loss)) break
    // A full history hands its oldest pair's arrays to the new pair instead of allocating 2 × n floats.
    const recycled = S.length === m ? { s: S[0]!, y: Y[0]! } : undefined
    const s = recycled?.s ?? new Float32Array(n)
    const y = recycled?.y ?? new Float32Array(n)
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!
      y[i] = gNew[i]! - g[i]!
    }
    const sy = dot(s, y)
    if (sy > 1e-12) {
      if (S.length === m) {
        S.shift()
        Y.shift()
        rho.shift()
      }
      S.push(s)
      Y.push(y)
      rho.push(1 / sy)
    } else if (recycled) {
      // The oldest pair's arrays were overwritten: it goes.
      S.shift()
      Y.shift()
      rho.shift()
    }
    x.set(xNew)
    g.set(gNew)
    loss = lossNew
    history.push(loss)
    options.onIteration?.(iteration + 1, loss)
    if (options.shouldStop?.(iteration + 1, x)) {
      iteration++
      break
    }
    const back = history[history.length - 6]
    if (back !== undefined && (back - loss) / Math.max(Math.abs(back), 1e-12) < tol) {
      iteration++
      break
    }
  }
  return { loss, iterations: iteration }
}
