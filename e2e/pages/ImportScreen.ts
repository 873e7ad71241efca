// Page model of the Import page, in the words a user would use (roles and labels, not CSS).
import { expect, type Locator, type Page } from '@playwright/test'

export interface ShownCounts {
  readonly read: number
  readonly imported: number
  readonly updated: number
  readonly duplicate: number
  readonly rejected: number
}

export class ImportScreen {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Import' }).click()
    await expect(this.page.getByRole('heading', { name: 'Import tickets' })).toBeVisible()
  }

  async chooseFile(path: string): Promise<Locator> {
    await this.page.getByLabel('CSV file').setInputFiles(path)
    const mapping = this.page.getByRole('region', { name: 'Column mapping' })
    await expect(mapping).toBeVisible()
    return mapping
  }

  async importAndWait(): Promise<ShownCounts> {
    await this.page.getByRole('button', { name: 'Import', exact: true }).last().click()
    const summary = this.page.getByRole('region', { name: 'Import summary' })
    await expect(summary).toBeVisible({ timeout: 45_000 })
    const count = async (key: string) => Number((await summary.getByTestId(`count-${key}`).innerText()).replaceAll(',', ''))
    return {
      read: await count('read'),
      imported: await count('imported'),
      updated: await count('updated'),
      duplicate: await count('duplicate'),
      rejected: await count('rejected')
    }
  }
}
