// If the engine process dies, the host restarts it and the UI says so, and keeps working.
import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { HOST_PID_FILE, HOST_TOKEN } from './harness/hostAddress.ts'

test('an engine crash is announced and the app recovers', async ({ page }) => {
  await page.goto(`/?token=${HOST_TOKEN}`)
  await expect(page.getByRole('status').filter({ hasText: 'Engine: connected' })).toBeVisible()

  process.kill(Number(readFileSync(HOST_PID_FILE, 'utf8')), 'SIGUSR2')

  await expect(page.getByRole('alert').filter({ hasText: 'The engine restarted' })).toBeVisible()
  await expect(page.getByRole('alert').filter({ hasText: 'SIGKILL' })).toBeVisible()
  // The restarted engine answers: the import page lists past imports without an error.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Import' }).click()
  await expect(page.getByRole('region', { name: 'Past imports' })).not.toContainText('Loading…')
  await page.getByRole('button', { name: 'Dismiss' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'The engine restarted' })).toHaveCount(0)
})
