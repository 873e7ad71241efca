// The `triage` command line: the same engine code as the app, in-process. Human output by default,
// `--json` for exactly one JSON object on stdout.
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { createEngine, type Engine } from './engine/api/engine.ts'
import { defaultDbPath } from './engine/dataDir.ts'
import { importCommand } from './cli/importCommand.ts'
import { trainCommand } from './cli/trainCommand.ts'
import { doctorCommand, errorsCommand, importsCommand, statsCommand, ticketsCommand } from './cli/storeCommands.ts'
import { printError } from './cli/output.ts'
import { similarCommand } from './cli/similarCommand.ts'
import { modelsCommand } from './cli/modelsCommand.ts'

const USAGE = `Usage: triage <command> [options]

Commands:
  import FILE            import a helpdesk CSV export (--encoding, --delimiter to override detection;
                         --index also embeds the tickets for similar tickets and marks near-duplicates)
  imports                list past imports with their counts
  errors IMPORT_ID       list the rejected rows of an import
  tickets                list tickets (--search TEXT, --filter COL=VALUE, --sort COL[:asc|desc], --limit N, --offset N)
  train --target COL     train a head for a label target on the imported tickets (--embedder none: built-in TF-IDF only)
  stats                  counts of tickets, imports, labels
  doctor                 database integrity, model files, tickets without predictions, versions
                         (--repair predicts the tickets the active models lack)
  similar                tickets most like one (--id N) or like a text (--text "…"); --k N (default 10),
                         --target COL (show that label), --exact (float32 scan); indexes unindexed tickets first
  models                 embedding models: list, install DIR [--name N] [--prefix T], remove NAME, use NAME|auto, provider P
  eval                   train on one CSV and evaluate on another (--train A.csv --test B.csv --target COL [--text COL,…] [--embedder NAME|none]),
                         or print the Evaluation page's figures for a stored model (--db PATH --target COL [--source holdout|reviews] [--model ID])

Options:
  --db PATH              the database (default: ${defaultDbPath()})
  --json                 print one JSON object on stdout
  -h, --help             this help`

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    console.log(USAGE)
    return command ? 0 : 1
  }
  if (command === 'eval') {
    const { evalCommand } = await import('./cli/eval.ts')
    return evalCommand(rest)
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      encoding: { type: 'string' },
      delimiter: { type: 'string' },
      search: { type: 'string' },
      filter: { type: 'string', multiple: true },
      sort: { type: 'string' },
      limit: { type: 'string' },
      offset: { type: 'string' },
      target: { type: 'string' },
      embedder: { type: 'string' },
      index: { type: 'boolean', default: false },
      id: { type: 'string' },
      text: { type: 'string' },
      k: { type: 'string' },
      exact: { type: 'boolean', default: false },
      name: { type: 'string' },
      prefix: { type: 'string' },
      repair: { type: 'boolean', default: false }
    }
  })
  const json = values.json ?? false
  let engine: Engine | undefined
  try {
    const dbPath = resolve(values.db ?? defaultDbPath())
    // Commands predict what they need themselves (import, doctor --repair): no background job at start.
    engine = createEngine({ dbPath, predictMissingAtStart: false })
    switch (command) {
      case 'import': {
        const file = positionals[0]
        if (!file) throw new Error('import needs a FILE: triage import export.csv [--db PATH]')
        return await importCommand(engine, { file, json, encoding: values.encoding, delimiter: values.delimiter, index: values.index })
      }
      case 'imports':
        return await importsCommand(engine, json)
      case 'errors':
        return await errorsCommand(engine, Number(positionals[0]), json)
      case 'tickets':
        return await ticketsCommand(engine, values, json)
      case 'train':
        return await trainCommand(engine, dbPath, values.target, values.embedder, json)
      case 'stats':
        return await statsCommand(engine, json)
      case 'doctor':
        return await doctorCommand(engine, json, values.repair)
      case 'similar':
        return await similarCommand(engine, { id: values.id, text: values.text, k: values.k, target: values.target, exact: values.exact, json })
      case 'models':
        return await modelsCommand(engine, positionals, { name: values.name, prefix: values.prefix, json })
      default:
        throw new Error(`unknown command "${command}"\n\n${USAGE}`)
    }
  } catch (err) {
    return printError(err, json)
  } finally {
    engine?.close()
  }
}

process.exitCode = await main(process.argv.slice(2))
