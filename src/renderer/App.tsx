import { useState } from 'react'
import { EmptyInbox } from './components/EmptyInbox.tsx'
import { JobTray } from './components/JobTray.tsx'
import { JobTrayProvider } from './components/JobTrayProvider.tsx'
import { StatusBar } from './components/StatusBar.tsx'
import { useStoreStats } from './components/useStoreStats.ts'
import { EvaluationPage } from './pages/EvaluationPage.tsx'
import { ImportPage } from './pages/ImportPage.tsx'
import { InboxPage } from './pages/InboxPage.tsx'
import { ModelsPage } from './pages/ModelsPage.tsx'
import { ReviewPage } from './pages/ReviewPage.tsx'
import { SettingsPage } from './pages/SettingsPage.tsx'

type Page = 'inbox' | 'review' | 'models' | 'evaluation' | 'import' | 'settings'

const PAGES: readonly { readonly page: Page; readonly title: string }[] = [
  { page: 'inbox', title: 'Inbox' },
  { page: 'review', title: 'Review' },
  { page: 'models', title: 'Models' },
  { page: 'evaluation', title: 'Evaluation' },
  { page: 'import', title: 'Import' },
  { page: 'settings', title: 'Settings' }
]

export function App() {
  const [page, setPage] = useState<Page>('inbox')
  const stats = useStoreStats()

  return (
    <JobTrayProvider>
      <div className="app">
        <header className="top-bar">
          <span className="brand">Triage Desk</span>
          <nav aria-label="Main">
            {PAGES.map(({ page: p, title }) => (
              <button key={p} type="button" aria-current={page === p ? 'page' : undefined} onClick={() => setPage(p)}>
                {title}
              </button>
            ))}
          </nav>
          <JobTray />
        </header>
        <main className="content">
          {page === 'import' ? (
            <ImportPage onShowInbox={() => setPage('inbox')} />
          ) : page === 'settings' && stats !== null ? (
            // Settings open on an empty store too: joining a team is how an empty desktop gets its tickets.
            <SettingsPage />
          ) : page === 'models' && stats !== null ? (
            // Models open on an empty store too: an offline machine installs its embedder before importing.
            <ModelsPage />
          ) : stats === null ? (
            <p role="status" className="starting">Starting the engine…</p>
          ) : stats.tickets === 0 ? (
            <EmptyInbox onImport={() => setPage('import')} />
          ) : page === 'review' ? (
            <ReviewPage onShowModels={() => setPage('models')} />
          ) : page === 'evaluation' ? (
            <EvaluationPage onShowModels={() => setPage('models')} />
          ) : (
            <InboxPage />
          )}
        </main>
        <StatusBar stats={stats} />
      </div>
    </JobTrayProvider>
  )
}
