// Made-up helpdesk tickets for tests that must run without the real datasets: a few hundred tickets in
// six topics, each topic with words of its own, so that a classifier learns something and similar
// tickets share words. Deterministic (seeded), so every run and every machine sees the same tickets.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { seededRandom } from './learn/trainingSplit.ts'

/** Topics (it-service's Topic_group names) with the helpdesk queue each one goes to, and its words. */
export const FIXTURE_TOPICS = {
  Hardware: { queue: 'Technical Support', words: ['printer', 'toner', 'laptop', 'screen', 'monitor', 'keyboard', 'mouse', 'dock', 'cable', 'battery', 'charger', 'flicker', 'jam', 'paper', 'broken', 'replace', 'device', 'hardware'] },
  Access: { queue: 'IT Support', words: ['password', 'reset', 'login', 'account', 'locked', 'vpn', 'access', 'permission', 'sign', 'token', 'expired', 'unlock', 'credentials', 'folder', 'rights', 'grant', 'user', 'authentication'] },
  'HR Support': { queue: 'Customer Service', words: ['holiday', 'leave', 'payroll', 'contract', 'onboarding', 'employee', 'manager', 'training', 'benefits', 'sick', 'absence', 'hr', 'starter', 'colleague', 'interview', 'salary', 'policy', 'timesheet'] },
  Purchase: { queue: 'Billing and Payments', words: ['invoice', 'order', 'purchase', 'quote', 'supplier', 'payment', 'refund', 'budget', 'licence', 'subscription', 'renewal', 'cost', 'billing', 'receipt', 'approval', 'vendor', 'price', 'charge'] },
  Storage: { queue: 'Product Support', words: ['disk', 'storage', 'backup', 'restore', 'drive', 'share', 'quota', 'full', 'space', 'archive', 'sharepoint', 'files', 'sync', 'onedrive', 'deleted', 'recover', 'mailbox', 'capacity'] },
  Miscellaneous: { queue: 'Returns and Exchanges', words: ['meeting', 'room', 'calendar', 'phone', 'desk', 'move', 'office', 'parcel', 'return', 'exchange', 'delivery', 'question', 'feedback', 'survey', 'badge', 'parking', 'kitchen', 'event'] }
} as const

export type FixtureTopic = keyof typeof FIXTURE_TOPICS

/** Words every ticket may use, whatever its topic. */
const COMMON = ['please', 'help', 'hi', 'hello', 'thanks', 'thank', 'you', 'the', 'my', 'is', 'not', 'working', 'since', 'this', 'morning', 'today', 'issue', 'problem', 'need', 'can', 'cannot', 'could', 'a', 'an', 'and', 'to', 'on', 'in', 'for', 'of', 'with', 'we', 'our', 'team', 'again', 'urgent', 'still', 'after', 'update', 'new', 'old', 'floor', 'third', 'regards', 'dear', 'support', 'it', 'out', 'how', 'do', 'i', 'forgot', 'log', 'offline', 'yesterday', 'week']

/** Every word a fixture ticket can hold: the vocabulary of the test encoder's tokenizer. */
export const FIXTURE_WORDS: readonly string[] = [...new Set([...COMMON, ...Object.values(FIXTURE_TOPICS).flatMap((t) => t.words)])]

const TYPES = ['Incident', 'Request', 'Problem', 'Change'] as const
const PRIORITIES = ['high', 'medium', 'low'] as const

export interface FixtureTicket {
  readonly subject: string
  readonly body: string
  readonly topic: FixtureTopic
  readonly queue: string
  readonly type: string
  readonly priority: string
}


/** `count` tickets, topics in turn (so any slice of 12 or more has every topic twice). */
export function fixtureTickets(count: number, seed = 1): FixtureTicket[] {
  const random = seededRandom(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!
  const topics = Object.keys(FIXTURE_TOPICS) as FixtureTopic[]
  return Array.from({ length: count }, (_, i) => {
    const topic = topics[i % topics.length]!
    const own = FIXTURE_TOPICS[topic].words
    const words = (n: number, share: number): string => Array.from({ length: n }, () => (random() < share ? pick(own) : pick(COMMON))).join(' ')
    return {
      subject: `${pick(own)} ${pick(own)} ${pick(COMMON)}`,
      body: `${words(24 + Math.floor(random() * 16), 0.55)}\n${words(10 + Math.floor(random() * 10), 0.4)}`,
      topic,
      queue: FIXTURE_TOPICS[topic].queue,
      type: pick(TYPES),
      priority: pick(PRIORITIES)
    }
  })
}

const quote = (v: string): string => `"${v.replaceAll('"', '""')}"`

/** A helpdesk export laid out as the bueck dataset is (subject, body, answer, type, queue, priority, language). */
export function helpdeskFixtureCsv(count: number, seed = 1): string {
  const header = ['subject', 'body', 'answer', 'type', 'queue', 'priority', 'language']
  const rows = fixtureTickets(count, seed).map((t) => [t.subject, t.body, 'thank you we are on it', t.type, t.queue, t.priority, 'en'])
  return [header, ...rows].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n'
}

/** Labelled text laid out as the it-service split is: `Document,Topic_group`, one line per record. */
export function itServiceFixtureCsv(count: number, seed = 1): string {
  const rows = fixtureTickets(count, seed).map((t) => `${t.subject} ${t.body.replace('\n', ' ')},${t.topic}`)
  return ['Document,Topic_group', ...rows].join('\n') + '\n'
}

let written: string | undefined

/**
 * Fixture files in a temporary folder, written once per test process: a helpdesk export of 400 tickets
 * (`helpdesk.csv`) and an it-service-style split (`train.csv`: 1500, `test.csv`: 600, other seeds).
 */
export function fixtureDatasetDir(): string {
  if (written) return written
  const dir = mkdtempSync(join(tmpdir(), 'triage-fixture-tickets-'))
  writeFileSync(join(dir, 'helpdesk.csv'), helpdeskFixtureCsv(400))
  writeFileSync(join(dir, 'train.csv'), itServiceFixtureCsv(1500, 2))
  writeFileSync(join(dir, 'test.csv'), itServiceFixtureCsv(600, 3))
  // Gone when the test process ends: a run must not leave a folder per file behind.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  written = dir
  return dir
}
