// The job tray in the window's frame: every job the engine is running, on every page, with what it is
// doing in words, one bar for the whole job, the time left once it can be told, and Cancel.
import { formatPercent } from './formatNumber.ts'
import { secondsLeft, timeLeftWords } from '../../shared/jobEta.ts'
import { jobTitle, phaseWords } from './jobWords.ts'
import { useJobTray } from './useJobTray.ts'
import { useNow } from './useNow.ts'

export function JobTray() {
  const { jobs, cancel } = useJobTray()
  const now = useNow(1000)
  if (jobs.length === 0) return null
  return (
    <section className="job-tray" aria-label="Job tray">
      <ul>
        {jobs.map(({ progress, overall, samples, cancelling, cancelError }) => {
          const title = jobTitle(progress.kind)
          const left = timeLeftWords(secondsLeft(samples, now))
          return (
            <li key={progress.jobId} aria-label={title} data-job-kind={progress.kind}>
              <span className="job-title">{title}</span>
              <span className="job-phase">{phaseWords(progress)}</span>
              <progress max={100} value={Math.round(overall * 1000) / 10} aria-label={`${title}, whole job`} />
              <span className="job-percent">{formatPercent(overall * 100)}</span>
              {left && <span className="job-eta">{left}</span>}
              <button type="button" className="link" disabled={cancelling} onClick={() => cancel(progress.jobId)}>
                {cancelling ? 'Cancelling…' : 'Cancel'}
              </button>
              {cancelError && (
                <span className="error" role="alert">
                  {cancelError}
                </span>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
