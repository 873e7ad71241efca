/**
 * Keeps the best `capacity` (score, slot, id) entries offered to it, in a min-heap whose root is
 * the worst kept entry. Selecting 10 or 300 of 100k scores this way costs one comparison per score
 * (against `floor`) plus a few thousand heap moves, instead of sorting 100k numbers.
 *
 * Order: higher score first; equal scores by lower id first, so results are deterministic and the
 * approximate and exact modes break ties the same way.
 */
export class TopK {
  private readonly scores: Float64Array
  private readonly slots: Int32Array
  private readonly ids: Float64Array
  private count = 0
  /** Scores below this cannot enter (−∞ until the heap is full). Callers skip them without a call. */
  floor = Number.NEGATIVE_INFINITY

  constructor(readonly capacity: number) {
    this.scores = new Float64Array(capacity)
    this.slots = new Int32Array(capacity)
    this.ids = new Float64Array(capacity)
  }

  get size(): number {
    return this.count
  }

  /** a is worse than b: lower score, or the same score and a higher id. */
  private worse(a: number, b: number): boolean {
    const sa = this.scores[a] as number
    const sb = this.scores[b] as number
    return sa < sb || (sa === sb && (this.ids[a] as number) > (this.ids[b] as number))
  }

  private swap(a: number, b: number): void {
    const s = this.scores[a] as number
    const sl = this.slots[a] as number
    const id = this.ids[a] as number
    this.scores[a] = this.scores[b] as number
    this.slots[a] = this.slots[b] as number
    this.ids[a] = this.ids[b] as number
    this.scores[b] = s
    this.slots[b] = sl
    this.ids[b] = id
  }

  private siftDown(start: number): void {
    let i = start
    for (;;) {
      const l = 2 * i + 1
      if (l >= this.count) return
      const r = l + 1
      const c = r < this.count && this.worse(r, l) ? r : l
      if (!this.worse(c, i)) return
      this.swap(c, i)
      i = c
    }
  }

  offer(score: number, slot: number, id: number): void {
    if (this.capacity === 0) return
    if (this.count < this.capacity) {
      let i = this.count++
      this.scores[i] = score
      this.slots[i] = slot
      this.ids[i] = id
      while (i > 0) {
        const p = (i - 1) >> 1
        if (!this.worse(i, p)) break
        this.swap(i, p)
        i = p
      }
    } else {
      const rootScore = this.scores[0] as number
      if (score < rootScore || (score === rootScore && id >= (this.ids[0] as number))) return
      this.scores[0] = score
      this.slots[0] = slot
      this.ids[0] = id
      this.siftDown(0)
    }
    if (this.count === this.capacity) this.floor = this.scores[0] as number
  }

  /** Kept slots, in any order (for re-ranking). */
  slotsView(): Int32Array {
    return this.slots.subarray(0, this.count)
  }

  /** Kept entries, best first. */
  sorted(): { slot: number; id: number; score: number }[] {
    const out: { slot: number; id: number; score: number }[] = []
    for (let i = 0; i < this.count; i++) {
      out.push({ slot: this.slots[i] as number, id: this.ids[i] as number, score: this.scores[i] as number })
    }
    return out.sort((a, b) => b.score - a.score || a.id - b.id)
  }
}
