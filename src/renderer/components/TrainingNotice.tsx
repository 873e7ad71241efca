// Says, on the pages a training changes, that one is running and what will change when it ends, so a lead
// does not take the queue or the figures for final while a new version is being fitted.
import { useRunningJobs } from './useRunningJobs.ts'

const WHAT_CHANGES = {
  review:
    'When it ends, the new version is compared with the active one on the same held-out tickets; if it is better it becomes active, every ticket is predicted again, and this queue changes. Decisions made meanwhile are kept and count for the next training.',
  evaluation: 'When it ends, the new version appears here; these figures are the active version’s until it is activated.'
} as const

export function TrainingNotice({ page }: { page: keyof typeof WHAT_CHANGES }) {
  const jobs = useRunningJobs()
  if (!jobs.has('train')) return null
  return (
    <p className="notice" role="status" aria-label="Training in progress">
      <strong>A model is training.</strong> {WHAT_CHANGES[page]}
    </p>
  )
}
