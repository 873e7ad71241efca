// Sync without anyone pressing a button, in the running app: a round at start, a round shortly after a
// local change (debounced, so an "Accept all" of fifty tickets is one round), and a round when PostgreSQL
// says another desktop wrote something (LISTEN triage_changes; the payload is the writer's desktop id, so
// our own writes are ignored). Offline, the listener retries every `retryMs` and a round follows each
// reconnect, so a desktop catches up by itself when the database is back.
import { connectTeam, type TeamClient } from './teamConnection.ts'

export interface AutoSyncOptions {
  readonly dbPath: string
  /** The joined team's URL and this desktop's id, or undefined when not in a team. */
  readonly team: () => { readonly url: string; readonly desktopId: string } | undefined
  readonly sync: () => Promise<unknown>
  readonly debounceMs?: number
  readonly retryMs?: number
}

export interface AutoSync {
  /** A local change: a round soon. */
  nudge(): void
  /** The team changed (joined, left): listen again. */
  restart(): void
  stop(): Promise<void>
}

export function startTeamAutoSync(o: AutoSyncOptions): AutoSync {
  const debounceMs = o.debounceMs ?? 250
  const retryMs = o.retryMs ?? 30_000
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let retry: NodeJS.Timeout | undefined
  let running = false
  let again = false
  let listener: TeamClient | undefined

  const schedule = (delay: number): void => {
    if (stopped || !o.team()) return
    clearTimeout(timer)
    timer = setTimeout(() => void run(), delay)
  }

  async function run(): Promise<void> {
    if (running) {
      again = true
      return
    }
    running = true
    try {
      await o.sync()
    } catch {
      // Recorded by the round itself (offline since, last error) for the status chip; the listener retries.
    } finally {
      running = false
      if (again) {
        again = false
        schedule(debounceMs)
      }
    }
  }

  async function listen(): Promise<void> {
    // Stopped first: a restart (join, leave) that lands after the engine closed must not read its database.
    if (stopped) return
    const team = o.team()
    if (!team) return
    try {
      const client = await connectTeam(team.url, { dbPath: o.dbPath })
      if (stopped) {
        await client.end()
        return
      }
      listener = client
      client.on('notification', (n) => {
        if (n.payload !== team.desktopId) schedule(0)
      })
      const lost = (): void => {
        if (listener !== client) return
        listener = undefined
        if (!stopped) retry = setTimeout(() => void listen(), retryMs)
      }
      client.on('error', lost)
      client.on('end', lost)
      await client.query('LISTEN triage_changes')
    } catch {
      retry = setTimeout(() => void listen(), retryMs)
    }
    // Whatever others wrote while this desktop was not listening.
    schedule(0)
  }

  async function unlisten(): Promise<void> {
    clearTimeout(retry)
    const client = listener
    listener = undefined
    await client?.end().catch(() => {})
  }

  void listen()
  return {
    nudge: () => schedule(debounceMs),
    restart() {
      void unlisten().then(() => listen())
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      await unlisten()
    }
  }
}
