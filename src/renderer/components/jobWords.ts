// A running job in the words of the people waiting for it: what it is, and what it is doing now with
// how far it has got ("embedding tickets 12,400 / 38,270"), never "index 43 %".
import type { JobProgress } from '../../shared/domain.ts'
import { formatCount } from './formatNumber.ts'

/**
 * Each kind of job in words: `title` names it in the job tray, `running` says it is under way in the status
 * bar. The order is the status bar's.
 */
const KIND_WORDS: Readonly<Record<JobProgress['kind'], { readonly title: string; readonly running: string }>> = {
  import: { title: 'Importing tickets', running: 'Importing…' },
  train: { title: 'Training a model', running: 'Training…' },
  index: { title: 'Indexing tickets', running: 'Indexing tickets for similar search…' },
  install: { title: 'Installing a model', running: 'Installing a model…' },
  predict: { title: 'Predicting tickets', running: 'Predicting…' },
  sync: { title: 'Catching up with the team', running: 'Catching up with the team…' }
}

export function jobTitle(kind: JobProgress['kind']): string {
  return KIND_WORDS[kind].title
}

/** One phrase per kind of running job, in a stable order: "Importing… · Training…". */
export function runningJobsLine(kinds: ReadonlySet<JobProgress['kind']>): string {
  return (Object.keys(KIND_WORDS) as JobProgress['kind'][])
    .filter((k) => kinds.has(k))
    .map((k) => KIND_WORDS[k].running)
    .join(' · ')
}

const PHASES: Readonly<Record<NonNullable<JobProgress['phase']>, string>> = {
  import: 'reading the file',
  index: 'embedding tickets',
  embedding: 'embedding tickets',
  duplicates: 'looking for near-duplicates',
  features: 'building features',
  fit: 'fitting the model',
  calibrate: 'calibrating confidence',
  refit: 'refitting on all labelled tickets',
  done: 'saving the new version',
  predicting: 'predicting tickets',
  verify: 'checking the model files',
  copy: 'copying the model',
  test: 'test-running the model',
  pulling: 'bringing in the team\'s changes'
}

/** "embedding tickets 12,400 / 38,270", "reading the file: 8,000 rows", "fitting the model". */
export function phaseWords(p: Pick<JobProgress, 'kind' | 'phase' | 'rows' | 'total'>): string {
  const phase = p.phase ?? (p.kind === 'import' ? 'import' : undefined)
  const words = phase ? PHASES[phase] : 'starting'
  if (p.total !== undefined && p.total > 0) return `${words} ${formatCount(p.rows)} / ${formatCount(p.total)}`
  if (phase === 'import') return `${words}: ${formatCount(p.rows)} rows`
  return words
}

/** Percent of the whole job (one bar over its phases); an engine without `overall` gives the phase's. */
export function wholeJobPercent(p: Pick<JobProgress, 'overall' | 'percent'> | null | undefined): number {
  if (!p) return 0
  return p.overall !== undefined ? Math.round(p.overall * 1000) / 10 : p.percent
}
