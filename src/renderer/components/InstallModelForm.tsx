// Installs a sentence-embedding model from a folder on this machine (a USB stick, a network drive) for
// machines with no internet. The engine checks a model it knows against its manifest's sha256, reads
// any other sentence encoder's manifest from its files, copies it, checks and test-runs the copy, and only
// then swaps it in: a job with progress that can be cancelled (a model is often hundreds of MB). Electron
// offers a native folder dialog; in the browser host the user picks the folder in the page and its model
// files are uploaded (nobody should have to type a server path). A typed path remains for folders the host
// was started with (--model-source).
import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { describeError } from '../api/describeError.ts'
import { useTriageClient } from '../api/TriageContext.tsx'
import { useEngineJob } from './useEngineJob.ts'

const STAGE_TEXT: Readonly<Record<string, string>> = {
  verify: 'checking the files',
  copy: 'copying and checking the copy',
  test: 'test-running the model'
}

export function InstallModelForm() {
  const client = useTriageClient()
  const inputId = useId()
  const [path, setPath] = useState('')
  // Only for a model the app does not know: the name it is listed under, and text put before every input.
  const [name, setName] = useState('')
  const [prefix, setPrefix] = useState('')
  const request = useCallback(
    (folder: string, as: string, before: string) =>
      client.api.request('model.install', { path: folder, ...(as.trim() ? { name: as.trim() } : {}), ...(before ? { prefix: before } : {}) }),
    [client]
  )
  const job = useEngineJob('install', request)
  const busy = job.state.phase === 'starting' || job.state.phase === 'running'
  const pickFolder = client.api.pickModelFolder
  const uploadFolder = client.api.uploadModelFolder
  const install = (folder: string) => void job.start(folder, name, prefix)
  const [upload, setUpload] = useState<{ sent: number; total: number } | null>(null)
  const [uploadError, setUploadError] = useState<string | null>(null)
  const folderInput = useRef<HTMLInputElement>(null)
  // React has no prop for it: the attribute that makes a file input choose a folder.
  useEffect(() => folderInput.current?.setAttribute('webkitdirectory', ''), [uploadFolder])
  const uploadAndInstall = async (files: readonly File[]) => {
    if (!uploadFolder || files.length === 0) return
    setUploadError(null)
    try {
      const folder = await uploadFolder(files, (sent, total) => setUpload({ sent, total }))
      install(folder)
    } catch (err) {
      setUploadError(describeError(err))
    } finally {
      setUpload(null)
      if (folderInput.current) folderInput.current.value = ''
    }
  }

  return (
    <form
      className="install-model"
      aria-label="Install a model from a folder"
      onSubmit={(e) => {
        e.preventDefault()
        if (path.trim()) install(path.trim())
      }}
    >
      {uploadFolder && (
        <p>
          <label>
            Choose the model folder{' '}
            <input
              ref={folderInput}
              type="file"
              multiple
              aria-label="Model folder to upload"
              disabled={busy || upload !== null}
              onChange={(e) => void uploadAndInstall([...(e.target.files ?? [])])}
            />
          </label>
          {upload && (
            <span className="progress-line" role="status">
              {' '}
              Uploading the model files… {upload.total > 0 ? Math.round((100 * upload.sent) / upload.total) : 0} % of {(upload.total / 1e6).toFixed(1)} MB
            </span>
          )}
        </p>
      )}
      {uploadError && (
        <p role="alert" className="error">
          {uploadError}
        </p>
      )}
      <label htmlFor={inputId}>{uploadFolder ? 'or a folder the app may read' : 'Model folder'}</label>{' '}
      <input
        id={inputId}
        type="text"
        value={path}
        onChange={(e) => setPath(e.target.value)}
        placeholder="type a path"
        aria-label="Model folder"
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
                  install(folder)
                }
              })
            }
          >
            Choose folder…
          </button>
        </>
      )}
      <details className="install-options">
        <summary>For a model the app does not know</summary>
        <label>
          Name <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="the folder's name" maxLength={80} disabled={busy} />
        </label>{' '}
        <label>
          Input prefix{' '}
          <input type="text" value={prefix} onChange={(e) => setPrefix(e.target.value)} placeholder='from the model card, e.g. "query: "' maxLength={100} disabled={busy} />
        </label>
      </details>
      <p className="hint">
        A folder with a sentence-embedding model: its .onnx file (or onnx/model.onnx, as Hugging Face lays it out) and tokenizer.json. A model
        the app knows is checked against its sha256; any other (a multilingual model, say) is read from its own files and test-run, then offered
        in the Embedder list.
      </p>
      {job.state.phase === 'running' && (
        <div className="install-progress" role="group" aria-label="Installing the model">
          <progress max={100} value={job.state.progress?.percent ?? 0} aria-label="Install progress" />{' '}
          <span className="progress-line">
            {job.state.progress?.phase ? STAGE_TEXT[job.state.progress.phase] ?? job.state.progress.phase : 'starting'}… {Math.round(job.state.progress?.percent ?? 0)} %
          </span>{' '}
          <button type="button" onClick={() => void job.cancel()} disabled={job.state.cancelling}>
            {job.state.cancelling ? 'Cancelling…' : 'Cancel install'}
          </button>
        </div>
      )}
      {job.state.phase === 'failed' && (
        <p role="alert" className="error">
          {job.state.message}
        </p>
      )}
      {job.state.phase === 'done' && (
        <p role="status">
          {job.state.summary.message} ({(job.state.summary.bytes / 1e6).toFixed(1)} MB in {job.state.summary.folder})
        </p>
      )}
    </form>
  )
}
