import { useState } from 'react'
import { EmptyInbox } from './components/EmptyInbox.tsx'
import { StatusBar } from './components/StatusBar.tsx'
import { useStoreStats } from './components/useStoreStats.ts'
import { ImportPage } from './pages/ImportPage.tsx'
import { InboxPage } from './pages/InboxPage.tsx'

type Page = 'inbox' | 'import'

export function App() {
  const [page, setPage] = useState<Page>('inbox')
  const stats = useStoreStats()

  return (
    <div className="app">
      <header className="top-bar">
        <span className="brand">Triage Desk</span>
        <nav aria-label="Main">
          <button type="button" aria-current={page === 'inbox' ? 'page' : undefined} onClick={() => setPage('inbox')}>
            Inbox
          </button>
          <button type="button" aria-current={page === 'import' ? 'page' : undefined} onClick={() => setPage('import')}>
            Import
          </button>
        </nav>
      </header>
      <main className="content">
        {page === 'import' ? (
          <ImportPage onShowInbox={() => setPage('inbox')} />
        ) : stats === null ? (
          <p role="status" className="starting">Starting the engine…</p>
        ) : stats.tickets === 0 ? (
          <EmptyInbox onImport={() => setPage('import')} />
        ) : (
          <InboxPage />
        )}
      </main>
      <StatusBar stats={stats} />
    </div>
  )
}
