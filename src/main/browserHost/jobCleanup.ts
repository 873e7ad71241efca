// Runs a clean-up (removing an upload's copy) when an engine job ends. The job's id arrives with the
// request's answer and its end with an event; child-process IPC can deliver both in one read, the event
// handled before the code awaiting the answer resumes, so either order must work.
const REMEMBERED_ENDS = 256

export class JobCleanup {
  private readonly waiting = new Map<string, () => void>()
  /** Jobs that ended before anyone asked to clean up after them (most recent last). */
  private readonly ended: string[] = []

  /** Call `cleanup` once `jobId` has ended (at once if it already has). */
  whenEnded(jobId: string, cleanup: () => void): void {
    if (this.ended.includes(jobId)) cleanup()
    else this.waiting.set(jobId, cleanup)
  }

  /** A job.done or job.failed event. */
  jobEnded(jobId: string): void {
    const cleanup = this.waiting.get(jobId)
    if (cleanup) {
      this.waiting.delete(jobId)
      cleanup()
      return
    }
    this.ended.push(jobId)
    if (this.ended.length > REMEMBERED_ENDS) this.ended.shift()
  }
}
