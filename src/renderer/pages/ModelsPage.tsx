// Models: where inference runs, which embedders are installed, and one card per label target to train,
// compare, restore and set thresholds.
import { EmbedderList } from '../components/EmbedderList.tsx'
import { InferenceSettings } from '../components/InferenceSettings.tsx'
import { InstallModelForm } from '../components/InstallModelForm.tsx'
import { TargetModelCard } from '../components/TargetModelCard.tsx'
import { useModelList } from '../components/useModelList.ts'
import { useModelStatus } from '../components/useModelStatus.ts'
import { useStoreStats } from '../components/useStoreStats.ts'

export function ModelsPage() {
  const { status, error } = useModelStatus()
  const { models, error: listError } = useModelList()
  const stats = useStoreStats()
  const targets = stats?.targets ?? []

  return (
    <div className="page models-page">
      <h1>Models</h1>
      {(error || listError) && <p role="alert" className="error">The engine could not list models: {error ?? listError}</p>}
      <section className="card" aria-label="Inference">
        <h2>Inference</h2>
        {status ? (
          <>
            <p>
              Execution provider: <strong>{status.provider ?? 'not started yet'}</strong>
              {' · '}Embedder: <strong>{status.activeEmbedder ?? 'none (built-in featuriser only)'}</strong>
            </p>
            {status.providerNotes.length > 0 && (
              <ul className="hint">
                {status.providerNotes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            )}
            <EmbedderList embedders={status.embedders} />
          </>
        ) : (
          <p role="status">Asking the engine…</p>
        )}
        <InferenceSettings status={status} />
        <InstallModelForm />
      </section>
      {stats && targets.length === 0 && <p className="empty-results">No label targets yet: import tickets with a queue (or other label) column first.</p>}
      {targets.map((t) => (
        <TargetModelCard
          key={t.target}
          target={t.target}
          labelledTickets={t.values.reduce((sum, v) => sum + v.count, 0)}
          status={status}
          models={models.filter((m) => m.target === t.target)}
        />
      ))}
    </div>
  )
}
