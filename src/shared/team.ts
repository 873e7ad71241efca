// Team sync as the UI and the CLI see it (src/main/engine/team does the work).

export interface TeamSyncCounts {
  readonly tickets: number
  readonly decisions: number
  readonly models: number
  readonly activations: number
  readonly thresholds: number
}

/** One sync round. */
export interface TeamSyncResult {
  /** Rows the team took from this desktop in this round. */
  readonly pushed: number
  /** Rows this desktop took from the team in this round. */
  readonly pulled: number
  /** Pulled decisions that met a decision here on the same ticket and target (one of the two is now superseded). */
  readonly conflicts: number
  /** Decisions the team database refused from this role (an agent's): they stay on this desktop. */
  readonly refused: number
  readonly byKind: { readonly pushed: TeamSyncCounts; readonly pulled: TeamSyncCounts }
  /** Tickets new or changed here by this round, for the indexing and prediction that follow. */
  readonly ticketsChanged: number
  readonly at: string
}

/** A decision made on this desktop that lost to a later one in the team's order. */
export interface SupersededDecision {
  readonly externalId: string
  readonly target: string
  readonly yours: string | null
  readonly at: string
  readonly winner: string | null
  readonly winnerBy: string | null
}

export interface TeamStatus {
  readonly joined: boolean
  /** The connection without its password. */
  readonly url: string | null
  readonly role: string | null
  readonly lead: boolean
  readonly lastSyncAt: string | null
  /** Since when every sync has failed (null when the last one worked). */
  readonly offlineSince: string | null
  readonly lastError: string | null
  readonly toPush: { readonly tickets: number; readonly decisions: number }
  readonly lastSync: TeamSyncResult | null
  readonly superseded: readonly SupersededDecision[]
}

export interface TeamJoined {
  /** The connection without its password. */
  readonly url: string
  readonly role: string
  readonly lead: boolean
  readonly teamId: string
  /** Where the URL's password was put, when it had one (a libpq password file, mode 0600); null also when
   * the host keeps it encrypted (Electron safeStorage). */
  readonly passwordFile: string | null
}
