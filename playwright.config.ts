import { defineConfig } from '@playwright/test'
import { CHROMIUM, CHROMIUM_ARGS, HOST_ORIGIN, HOST_PORT, HOST_TOKEN } from './e2e/harness/hostAddress.ts'

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // One engine and one database behind the host: specs run in order, not in parallel.
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  globalSetup: './e2e/harness/globalSetup.ts',
  use: {
    baseURL: HOST_ORIGIN,
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure'
  },
  webServer: {
    command: 'node --import tsx e2e/harness/serveBrowserHost.ts',
    // 401 without the token still means "up"; Playwright accepts 2xx–403.
    url: `${HOST_ORIGIN}/`,
    env: { TRIAGE_HOST_TOKEN: HOST_TOKEN, TRIAGE_E2E_PORT: String(HOST_PORT) },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 }
  }
})
