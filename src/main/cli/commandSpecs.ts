// Every `triage` command's options, usage and help, in one place: the parser and `--help` read the same
// table, so help cannot list an option the parser refuses, or miss one it takes.
import { defaultDbPath } from '../engine/dataDir.ts'
import type { CommandSpec, OptionSpec } from './args.ts'
import { DELIMITERS, ENCODINGS } from './csvArgs.ts'
import { PROVIDERS } from './modelsCommand.ts'

/** "a, b or c": the help names the values the parser takes, read from the same lists. */
const orList = (values: readonly string[], separator = ', '): string => `${values.slice(0, -1).join(separator)} or ${values.at(-1)}`

const db: OptionSpec = { type: 'string', value: 'PATH', help: 'the database (default: $TRIAGE_DB or the app data folder)' }
const json: OptionSpec = { type: 'boolean', help: 'print exactly one JSON object on stdout' }
const help: OptionSpec = { type: 'boolean', short: 'h', help: 'this help' }
const common = { db, json, help }

const specs: readonly CommandSpec[] = [
  {
    name: 'import',
    brief: 'import a helpdesk CSV export',
    usage: ['import FILE [--encoding ENC] [--delimiter D] [--index] [--db PATH] [--json]'],
    summary: 'Import a helpdesk CSV export. Encoding and delimiter are detected unless given.',
    positionals: { min: 1, max: 1, name: 'FILE' },
    options: {
      encoding: { type: 'string', value: 'ENC', help: orList(ENCODINGS) },
      delimiter: { type: 'string', value: 'D', help: `${orList(DELIMITERS.map((d) => (d === '\t' ? 'tab' : `"${d}"`)), ' ')} (also: tab, \\t)` },
      index: { type: 'boolean', help: 'also embed the tickets for similar tickets and mark near-duplicates' },
      ...common
    }
  },
  {
    name: 'imports',
    brief: 'list past imports with their counts',
    usage: ['imports [--db PATH] [--json]'],
    summary: 'List past imports with their counts.',
    positionals: { min: 0, max: 0 },
    options: common
  },
  {
    name: 'errors',
    brief: 'list the rejected rows of an import',
    usage: ['errors IMPORT_ID [--db PATH] [--json]'],
    summary: 'List the rejected rows of an import (ids: triage imports).',
    positionals: { min: 1, max: 1, name: 'IMPORT_ID' },
    options: common
  },
  {
    name: 'tickets',
    brief: 'list, search, filter and sort tickets',
    usage: ['tickets [--search TEXT] [--filter COL=VALUE]… [--sort COL[:asc|desc]] [--limit N] [--offset N] [--db PATH] [--json]'],
    summary:
      'List tickets, one page at a time.\nCOL is externalId, subject, created, status, priority or label:TARGET (e.g. label:queue);\n--sort also takes confidence:TARGET, the active model\'s confidence.',
    positionals: { min: 0, max: 0 },
    options: {
      search: { type: 'string', value: 'TEXT', help: 'full-text search of subject and body (words; the last may be a prefix)' },
      filter: { type: 'string', multiple: true, value: 'COL=VALUE', help: 'only tickets whose COL is VALUE (subject, externalId: contains); repeatable' },
      sort: { type: 'string', value: 'COL[:asc|desc]', help: 'order by a column (default direction desc), e.g. created:asc, label:queue:asc' },
      limit: { type: 'string', value: 'N', help: 'tickets per page, 1 to 1000 (default 20)' },
      offset: { type: 'string', value: 'N', help: 'tickets to skip (default 0)' },
      ...common
    }
  },
  {
    name: 'train',
    brief: 'train a model for a label target',
    usage: ['train --target COL [--embedder NAME|none] [--db PATH] [--json]', 'train --target COL --update [--db PATH] [--json]'],
    summary: 'Train a model for a label target on the imported tickets, as the app\'s Train button does; --update, as its Update model button.',
    positionals: { min: 0, max: 0 },
    options: {
      target: { type: 'string', value: 'COL', help: 'the label target to predict, e.g. queue (see triage stats)' },
      embedder: { type: 'string', value: 'NAME', help: 'embedder to train with; none: built-in TF-IDF only' },
      update: { type: 'boolean', help: 'a new version from the active one, learning the review decisions since (seconds)' },
      ...common
    }
  },
  {
    name: 'stats',
    brief: 'counts of tickets, imports, labels',
    usage: ['stats [--db PATH] [--json]'],
    summary: 'Counts of tickets, imports and labels.',
    positionals: { min: 0, max: 0 },
    options: common
  },
  {
    name: 'doctor',
    brief: 'database integrity, model files, tickets without predictions',
    usage: ['doctor [--repair] [--db PATH] [--json]'],
    summary: 'Database integrity, versions, the models in use, their files (present, sha256 as recorded) and tickets the active models have not predicted. Exits 1 when it finds a problem.',
    positionals: { min: 0, max: 0 },
    options: { ...common, repair: { type: 'boolean', help: 'predict the tickets the active models lack, then report' } }
  },
  {
    name: 'similar',
    brief: 'tickets most like a ticket or a text',
    usage: ['similar --id N | --text "…" [--k N] [--target COL] [--exact] [--db PATH] [--json]'],
    summary: 'The tickets most like one ticket or like a text. Tickets not yet indexed are indexed first.',
    positionals: { min: 0, max: 0 },
    options: {
      id: { type: 'string', value: 'N', help: 'the ticket to match' },
      text: { type: 'string', value: 'TEXT', help: 'a text to match instead' },
      k: { type: 'string', value: 'N', help: 'how many, 1 to 50 (default 10)' },
      target: { type: 'string', value: 'COL', help: 'show each hit\'s label for this target' },
      exact: { type: 'boolean', help: 'exact float32 scan (same scores, slower)' },
      ...common
    }
  },
  {
    name: 'models',
    brief: 'embedding models: list, install, remove, use, provider',
    usage: ['models [list]', 'models install DIR [--name N] [--prefix TEXT]', 'models remove NAME', 'models use NAME|auto', `models provider ${PROVIDERS.join('|')}`],
    summary:
      'Embedding models: list them, install a model folder, remove one installed in the data folder,\nchoose the embedder for similar tickets and new models, or force an execution provider.',
    positionals: { min: 0, max: 2, name: 'ACTION' },
    options: {
      name: { type: 'string', value: 'N', help: 'install: the name to install under' },
      prefix: { type: 'string', value: 'TEXT', help: 'install: text put before every input, e.g. "query: " for E5 models' },
      ...common
    }
  },
  {
    name: 'team',
    brief: 'share tickets, decisions and models through PostgreSQL',
    usage: [
      'team init --url URL',
      'team join --url URL [--db PATH]',
      'team sync [--db PATH] [--json]',
      'team status [--db PATH] [--json]',
      'team leave [--db PATH]',
      'team member add ROLE --agent|--lead [--url URL | --db PATH]',
      'team export FILE [--since DATE] [--db PATH]',
      'team import FILE [--db PATH]'
    ],
    summary:
      'Work as a team through one PostgreSQL database; this desktop\'s SQLite file stays the working copy.\n' +
      'init: create or upgrade the team schema (the database owner, once). join: connect this desktop as your\n' +
      'own PostgreSQL role. sync: push what this desktop made, pull what the others made (one round).\n' +
      'member add: give an existing login role the agents\' or the leads\' rights.\n' +
      'URL: postgres://ROLE[:PASSWORD]@HOST:PORT/DATABASE[?sslmode=verify-full&sslrootcert=FILE]. Without a\n' +
      'password, PGPASSWORD or ~/.pgpass supply it; a password given to join is kept in PATH.pgpass (0600),\n' +
      'never in the database.\n' +
      'export/import: without a reachable database, a lead writes a bundle (model versions, the active ones,\n' +
      'thresholds, decisions since DATE) and agents apply it with the same conflict rule as sync.',
    positionals: { min: 1, max: 3, name: 'ACTION' },
    options: {
      url: { type: 'string', value: 'URL', help: 'the team database (init, join, member add)' },
      agent: { type: 'boolean', help: 'member add: the agents\' rights (read, push imports)' },
      lead: { type: 'boolean', help: 'member add: the leads\' rights (also decisions, models, thresholds)' },
      since: { type: 'string', value: 'DATE', help: 'export: only decisions made on or after this date' },
      ...common
    }
  },
  {
    name: 'review',
    brief: 'record a review decision',
    usage: ['review decide --id N --target T [--label L] [--db PATH] [--json]'],
    summary: 'Record a lead\'s decision on a ticket, as the Review page does: --label sets the label; without it the prediction is accepted.',
    positionals: { min: 1, max: 1, name: 'ACTION' },
    options: {
      id: { type: 'string', value: 'N', help: 'the ticket (its id in triage tickets)' },
      target: { type: 'string', value: 'T', help: 'the label target, e.g. queue' },
      label: { type: 'string', value: 'L', help: 'the label chosen (default: accept the prediction)' },
      ...common
    }
  },
  {
    name: 'eval',
    brief: 'evaluate: train on one CSV and test on another, or a stored model',
    usage: ['eval --train A.csv --test B.csv --target COL [--text COL[,COL…]] [--embedder NAME|none] [--json]', 'eval --db PATH --target COL [--source holdout|reviews] [--model ID] [--json]'],
    summary: 'Train on one CSV and measure on another; or print the Evaluation page\'s figures for a stored model.',
    positionals: { min: 0, max: 0 },
    options: {
      train: { type: 'string', value: 'A.csv', help: 'the training CSV' },
      test: { type: 'string', value: 'B.csv', help: 'the test CSV (a header and at least one labelled row)' },
      target: { type: 'string', value: 'COL', help: 'the label column (with --db: the label target)' },
      text: { type: 'string', value: 'COL,…', help: 'the text columns (default: every other column)' },
      embedder: { type: 'string', value: 'NAME', help: 'embedder to use; none: TF-IDF only (default: the first installed)' },
      db: { type: 'string', value: 'PATH', help: 'report on the models stored in this database instead' },
      source: { type: 'string', value: 'S', help: 'with --db: holdout (default) or reviews' },
      model: { type: 'string', value: 'ID', help: 'with --db: a model id (default: the active one)' },
      json,
      help
    }
  }
]

export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map(specs.map((s) => [s.name, s]))

export function commandSpec(name: string): CommandSpec {
  const spec = COMMANDS.get(name)
  if (!spec) throw new Error(`no command spec for ${name}`)
  return spec
}

/** `triage --help`. */
export function mainHelp(): string {
  return [
    'Usage: triage COMMAND [options]',
    '       triage COMMAND --help',
    '',
    'Commands:',
    ...specs.map((s) => `  ${s.name.padEnd(10)}${s.brief}`),
    '',
    'Options every command takes:',
    `  --db PATH   the database (default: ${defaultDbPath()})`,
    '  --json      print exactly one JSON object on stdout',
    '  -h, --help  help for the command',
    '',
    'Exit codes: 0 done, 1 failed, 2 wrong command line.'
  ].join('\n')
}
