// One import in a fresh process, so its peak RSS is the engine's own: prints one JSON line.
import { openCsv } from '../src/main/engine/ingest/csvSource.ts'
import { importCsv } from '../src/main/engine/ingest/importCsv.ts'
import { openDatabase } from '../src/main/engine/store/database.ts'

const [file, dbPath] = process.argv.slice(2)
if (!file || !dbPath) throw new Error('usage: importOnce FILE DB')
const db = openDatabase(dbPath)
const t0 = performance.now()
const summary = await importCsv(db, await openCsv(file))
const seconds = (performance.now() - t0) / 1000
db.close()
console.log(JSON.stringify({ ...summary, wallSeconds: seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }))
