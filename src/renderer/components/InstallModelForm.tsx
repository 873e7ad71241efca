// Installs a sentence-embedding model from a folder on this machine (a USB stick, a network drive) for
// machines with no internet. The engine checks a model it knows against its manifest's sha256, reads
// any other sentence encoder's manifest from its files, test-runs it and only then copies it into the
// data folder. Electron offers a native folder dialog;
// the browser host cannot hand over a folder, and runs on this machine, so a typed path serves there.
import { useId, useState } from 'react'
import type { InstalledModel } from '../../shared/models.ts'
import { describeError } from '../api/describeError.ts'
import { useTriageClient } from '../api/TriageContext.tsx'

export function InstallModelForm() {
  const client = useTriageClient()
  const inputId = useId()
  const [path, setPath] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [installed, setInstalled] = useState<InstalledModel | null>(null)
  const pickFolder = client.api.pickModelFolder

  const install = async (folder: string) => {
    setBusy(true)
    setError(null)
    setInstalled(null)
    try {
      setInstalled(await client.api.request('model.install', { path: folder }))
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="install-model"
      aria-label="Install a model from a folder"
      onSubmit={(e) => {
        e.preventDefault()
        if (path.trim()) void install(path.trim())
      }}
    >
      <label htmlFor={inputId}>Model folder</label>{' '}
      <input
        id={inputId}
        type="text"
        value={path}
        onChange={(e) => setPath(e.target.value)}
        placeholder="/media/usb/all-minilm-l6-v2-int8"
        size={48}
        disabled={busy}
      />{' '}
      <button type="submit" disabled={busy || !path.trim()}>
        {busy ? 'Checking…' : 'Install'}
      </button>
      {pickFolder && (
        <>
          {' '}
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void pickFolder().then((folder) => {
                if (folder) {
                  setPath(folder)
                  void install(folder)
                }
              })
            }
          >
            Choose folder…
          </button>
        </>
      )}
      <p className="hint">
        A folder with a sentence-embedding model: its .onnx file (or onnx/model.onnx, as Hugging Face lays it out) and tokenizer.json. A model
        the app knows is checked against its sha256; any other (a multilingual model, say) is read from its own files and test-run, then offered
        in the Embedder list.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {installed && (
        <p role="status">
          {installed.message} ({(installed.bytes / 1e6).toFixed(1)} MB in {installed.folder})
        </p>
      )}
    </form>
  )
}
