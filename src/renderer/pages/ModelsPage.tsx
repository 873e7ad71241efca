// Models: where inference runs, which embedders are installed, and one card per label target to train,
// compare, restore and set thresholds.
import { AutoUpdateSetting } from '../components/AutoUpdateSetting.tsx'
import { EmbedderList } from '../components/EmbedderList.tsx'
import { InferenceSettings } from '../components/InferenceSettings.tsx'
import { InstallModelForm } from '../components/InstallModelForm.tsx'
import { activeModelName, BUILT_IN_WORDS, providerWords } from '../components/plainWords.ts'
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
        <h2>Embedding model</h2>
        {status ? (
          <>
            <p data-testid="inference-summary">
              Similar tickets and new models use <strong>{activeModelName(status)}</strong>
              {providerWords(status.provider) ? (
                <>
                  , on <strong>{providerWords(status.provider)}</strong>
                </>
              ) : activeModelName(status) === BUILT_IN_WORDS ? (
                ' (no embedding model installed: install one below for better similar tickets and predictions)'
              ) : (
                ' (loaded when first needed)'
              )}
              .
            </p>
            <EmbedderList embedders={status.embedders} />
          </>
        ) : (
          <p role="status">Asking the engine…</p>
        )}
        <InferenceSettings status={status} part="embedder" />
        <InstallModelForm />
        <details className="advanced">
          <summary>Advanced</summary>
          <p className="hint">
            Models run on the CPU everywhere. An NVIDIA GPU (CUDA), Apple's CoreML or Windows' DirectML can be faster; CUDA needs a one-time
            install of its ONNX Runtime libraries (see the README). Automatic tries them in that order and falls back to the CPU, saying why.
          </p>
          <InferenceSettings status={status} part="provider" />
          {status && status.providerNotes.length > 0 && (
            <ul className="hint" aria-label="Provider notes">
              {status.providerNotes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          )}
        </details>
      </section>
      {targets.length > 0 && (
        <section className="card" aria-label="Learning from decisions">
          <h2>Learning from decisions</h2>
          <AutoUpdateSetting />
        </section>
      )}
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
