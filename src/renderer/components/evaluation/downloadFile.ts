// Saves text as a file through a Blob link: works the same in Electron and the browser host, with no
// file system access from the renderer.
export function downloadFile(content: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  // Revoked later: some browsers start reading the Blob only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** A file-name-safe stamp, e.g. 2026-11-25T20-04. */
export function fileStamp(date: Date): string {
  return date.toISOString().slice(0, 16).replace(':', '-')
}

export function fileSafe(text: string): string {
  return text.replace(/[^\p{L}\p{N}._-]+/gu, '-').slice(0, 60)
}
