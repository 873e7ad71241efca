// Keeps the window's one record of the engine's jobs; everything that shows a running job reads it.
import type { ReactNode } from 'react'
import { JobTrayContext, useEngineJobs } from './useJobTray.ts'

export function JobTrayProvider({ children }: { children: ReactNode }) {
  return <JobTrayContext.Provider value={useEngineJobs()}>{children}</JobTrayContext.Provider>
}
