// The team status: asked when the engine connects and after any local change (N to push moves), and
// replaced by the engine's own team.status event after each sync round, join and leave.
import { useEffect, useState } from 'react'
import type { TeamStatus } from '../../shared/team.ts'
import { useEngineEvent } from '../api/TriageContext.tsx'
import { useEngineQuery } from '../api/useEngineQuery.ts'

export function useTeamStatus(): { status: TeamStatus | null; error: string | null } {
  const q = useEngineQuery('team.status', {}, { changes: 'any' })
  const [status, setStatus] = useState<TeamStatus | null>(null)
  useEffect(() => {
    if (q.data) setStatus(q.data)
  }, [q.data])
  useEngineEvent('team.status', setStatus)
  return { status, error: q.error }
}
