export function EmptyInbox({ onImport }: { onImport: () => void }) {
  return (
    <section className="empty-state" aria-label="No tickets yet">
      <h1>No tickets yet</h1>
      <p>Start by importing a CSV export from your helpdesk. Everything stays on this machine.</p>
      <button type="button" className="primary" onClick={onImport}>
        Import tickets
      </button>
    </section>
  )
}
