// The `triage` command line: the same engine code as the app, in-process. Human output by default,
// `--json` for exactly one JSON object on stdout.
import { resolve } from 'node:path'
import { createEngine, type Engine } from './engine/api/engine.ts'
import { defaultDbPath } from './engine/dataDir.ts'
import { importCommand } from './cli/importCommand.ts'
import { trainCommand } from './cli/trainCommand.ts'
import { doctorCommand, errorsCommand, importsCommand, statsCommand, ticketsCommand } from './cli/storeCommands.ts'
import { printError } from './cli/output.ts'
import { similarCommand } from './cli/similarCommand.ts'
import { modelsAction, modelsCommand } from './cli/modelsCommand.ts'
import { helpText, intArg, parseCommandLine, UsageError } from './cli/args.ts'
import { COMMANDS, mainHelp } from './cli/commandSpecs.ts'
import { delimiterArg, encodingArg } from './cli/csvArgs.ts'
import { ticketQuery } from './cli/ticketQuery.ts'

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === '-h' || command === '--help') {
    console.log(mainHelp())
    return 0
  }
  // `triage help` and `triage help COMMAND`, as git does.
  if (command === 'help') {
    const spec = rest[0] === undefined ? undefined : COMMANDS.get(rest[0])
    if (rest[0] !== undefined && !spec) return printError(new UsageError(`unknown command "${rest[0]}"`), false)
    console.log(spec ? helpText(spec) : mainHelp())
    return 0
  }
  if (!command) {
    process.stderr.write(`${mainHelp()}\n`)
    return 2
  }
  const spec = COMMANDS.get(command)
  // Before parsing, --json can only be guessed from argv; it decides whether errors also go to stdout.
  let json = rest.includes('--json')
  let engine: Engine | undefined
  try {
    if (!spec) throw new UsageError(`unknown command "${command}"`)
    const { values: v, positionals, help } = parseCommandLine(spec, rest)
    if (help) {
      console.log(helpText(spec))
      return 0
    }
    if (command === 'eval') {
      const { evalCommand } = await import('./cli/eval.ts')
      return await evalCommand(rest)
    }
    json = v.json === true
    // These open a desktop only when they need one (team init touches the team database alone).
    if (command === 'team' || command === 'review') {
      const { reviewCommand, teamCommand } = await import('./cli/teamCommand.ts')
      return await (command === 'team' ? teamCommand(v, positionals) : reviewCommand(v, positionals))
    }
    // Every value is checked before the database is opened: a typo must not create an empty store.
    const run = argsFor(command, v, positionals)
    const dbPath = resolve((v.db as string | undefined) ?? defaultDbPath())
    // Commands predict what they need themselves (import, doctor --repair): no background job at start.
    engine = createEngine({ dbPath, predictMissingAtStart: false })
    return await run(engine, dbPath, json)
  } catch (err) {
    return printError(err, json)
  } finally {
    engine?.close()
  }
}

type Values = Readonly<Record<string, string | boolean | string[] | undefined>>
type Run = (engine: Engine, dbPath: string, json: boolean) => Promise<number>

/** Checks a command's values and binds them; the returned function runs it on an open engine. */
function argsFor(command: string, v: Values, positionals: readonly string[]): Run {
  const str = (name: string): string | undefined => v[name] as string | undefined
  const bool = (name: string): boolean => v[name] === true
  switch (command) {
    case 'import': {
      const args = { file: positionals[0]!, encoding: encodingArg(str('encoding')), delimiter: delimiterArg(str('delimiter')), index: bool('index') }
      return (engine, _db, json) => importCommand(engine, { ...args, json })
    }
    case 'imports':
      return (engine, _db, json) => importsCommand(engine, json)
    case 'errors': {
      const importId = intArg('IMPORT_ID', positionals[0], 1, Number.MAX_SAFE_INTEGER, 'errors')!
      return (engine, _db, json) => errorsCommand(engine, importId, json)
    }
    case 'tickets': {
      const query = ticketQuery({ search: str('search'), filter: v.filter as string[] | undefined, sort: str('sort'), limit: str('limit'), offset: str('offset') })
      return (engine, _db, json) => ticketsCommand(engine, query, json)
    }
    case 'train': {
      const target = str('target')
      if (!target) throw new UsageError('--target COL is required (a label target, e.g. queue; see triage stats)', 'train')
      if (bool('update') && str('embedder')) throw new UsageError('--update keeps the embedder of the version it starts from: leave out --embedder', 'train')
      return (engine, dbPath, json) => trainCommand(engine, dbPath, target, str('embedder'), json, bool('update'))
    }
    case 'stats':
      return (engine, _db, json) => statsCommand(engine, json)
    case 'doctor':
      return (engine, _db, json) => doctorCommand(engine, json, bool('repair'))
    case 'similar': {
      if ((str('id') === undefined) === (str('text') === undefined)) throw new UsageError('give exactly one of --id N or --text "…"', 'similar')
      if (str('text')?.trim() === '') throw new UsageError('--text needs some text to match', 'similar')
      const args = { id: intArg('--id', str('id'), 1, Number.MAX_SAFE_INTEGER, 'similar'), text: str('text'), k: intArg('--k', str('k'), 1, 50, 'similar'), target: str('target'), exact: bool('exact') }
      return (engine, _db, json) => similarCommand(engine, { ...args, json })
    }
    case 'models': {
      modelsAction(positionals)
      return (engine, _db, json) => modelsCommand(engine, positionals, { name: str('name'), prefix: str('prefix'), json })
    }
    default:
      throw new UsageError(`unknown command "${command}"`)
  }
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (err) {
  // Only a bug gets here; it still gets one line, not a stack trace.
  process.exitCode = printError(err, false)
}
