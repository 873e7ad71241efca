import { describe, expect, it } from 'vitest'
import type { JobProgress } from '../../shared/domain.ts'
import { jobTitle, phaseWords, runningJobsLine } from './jobWords.ts'
import { withProgress, type TrayJob } from './useJobTray.ts'

const event = (overall: number, extra: Partial<JobProgress> = {}): JobProgress => ({ jobId: 'j1', kind: 'index', phase: 'embedding', rows: 0, rowsPerSec: 0, percent: 0, overall, ...extra })

describe('the job tray', () => {
  it('never moves a bar back, and keeps the start for the time-left estimate', () => {
    let jobs: Map<string, TrayJob> = new Map()
    for (const [at, overall] of [[0, 0.1], [1000, 0.4], [2000, 0.3], [3000, 0.5]] as const) jobs = withProgress(jobs, event(overall), at)
    const job = jobs.get('j1')!
    expect(job.overall).toBe(0.5)
    expect(job.samples.map((s) => s.overall)).toEqual([0.1, 0.4, 0.4, 0.5])
    expect(job.samples[0]!.at).toBe(0)
  })

  it('says what a job is doing with its counts', () => {
    expect(phaseWords({ kind: 'index', phase: 'embedding', rows: 12_400, total: 38_270 })).toBe('embedding tickets 12,400 / 38,270')
    expect(phaseWords({ kind: 'import', rows: 8000 })).toBe('reading the file: 8,000 rows')
    expect(phaseWords({ kind: 'train', phase: 'refit', rows: 0 })).toBe('refitting on all labelled tickets')
  })

  it('names a job in the tray and lists running kinds in the status bar in a fixed order', () => {
    expect(jobTitle('index')).toBe('Indexing tickets')
    expect(runningJobsLine(new Set(['index', 'import', 'train'] as const))).toBe('Importing… · Training… · Indexing tickets for similar search…')
    expect(runningJobsLine(new Set())).toBe('')
  })
})
