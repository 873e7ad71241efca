// Electron hardening that applies to every window: the renderer is untrusted (it renders imported
// ticket text), so it may not navigate, open windows, ask for permissions, or reach the network.
// The CSP itself is the <meta> in src/renderer/index.html (file:// responses carry no headers).
import { app, session, type WebContents, type WebFrameMain } from 'electron'

export function applyAppSecurity(isTrustedUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedUrl(url)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!isTrustedUrl(url)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
}

export function applySessionSecurity(): void {
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  // Nothing leaves the machine: refuse every network request the renderer might try.
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*'] }, (_details, callback) =>
    callback({ cancel: true })
  )
}

/** IPC from anything but our own page (an injected frame, a navigated-away window) is ignored. */
export function isTrustedSender(frame: WebFrameMain | null, isTrustedUrl: (url: string) => boolean): boolean {
  return frame !== null && isTrustedUrl(frame.url)
}
