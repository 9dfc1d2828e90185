/**
 * Two people in Chromium, each on a different node of a real cluster (node processes on Redis and
 * PostgreSQL): they see each other online and chat both ways, as on one server.
 */
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { browserSkipReason, E2E_PASSWORD, launchBrowser, RESULTS_DIR, saveFailureScreenshot, watchProblems } from '../helpers/browser.ts'
import { frontDoorSkipReason, launchTestCluster, type TestCluster } from '../helpers/cluster-processes.ts'

const skip = await frontDoorSkipReason()

const composer = (page: Page) => page.getByRole('textbox', { name: /^Message / })
const log = (page: Page) => page.getByRole('log')
const connected = (page: Page) => page.getByRole('banner').getByRole('status').filter({ hasText: /^Connected$/ }).waitFor()

describe('chat across two nodes in the browser', { skip }, () => {
  let browser: Browser | null = null
  let cluster: TestCluster
  const pages: { name: string, page: Page, problems: string[] }[] = []

  /** A new account, signed up in its own browser context on node `n`, in #general. */
  async function person (name: string, n: number) {
    const context = await browser!.newContext({ viewport: { width: 1100, height: 700 }, colorScheme: n === 1 ? 'light' : 'dark' })
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    const problems = watchProblems(page)
    pages.push({ name, page, problems })
    await page.goto(`${cluster.nodes[n - 1]!.url}/chat/general`)
    await page.getByRole('tab', { name: 'Create account' }).click()
    await page.getByLabel('Username').fill(name)
    await page.getByLabel('Password', { exact: true }).fill(E2E_PASSWORD)
    await page.getByLabel('Password', { exact: true }).press('Enter')
    await connected(page)
    await page.getByRole('heading', { level: 1, name: 'general' }).waitFor()
    return page
  }

  before(async () => {
    browser = await launchBrowser()
    if (!browser) return
    cluster = await launchTestCluster(2)
    mkdirSync(RESULTS_DIR, { recursive: true })
  })
  after(async () => {
    await browser?.close()
    await cluster?.close()
  })

  it('shows each person the other online and relays messages both ways', async (t) => {
    if (!browser) return t.skip(browserSkipReason)
    try {
      const alice = await person('alicenode1', 1)
      const bob = await person('bobnode2', 2)
      for (const [page, other] of [[alice, 'bobnode2'], [bob, 'alicenode1']] as const) {
        await page.getByRole('button', { name: /^Members, \d+ online$/ }).click()
        await page.getByRole('complementary', { name: 'Members' }).locator('.member[data-online]').filter({ hasText: other }).waitFor()
      }
      await composer(alice).fill('Hello from node 1')
      await composer(alice).press('Enter')
      await log(bob).getByText('Hello from node 1').waitFor()
      await composer(bob).fill('Hello back from node 2')
      await composer(bob).press('Enter')
      await log(alice).getByText('Hello back from node 2').waitFor()
      await alice.screenshot({ path: join(RESULTS_DIR, 'cluster-node1.png') })
      await bob.screenshot({ path: join(RESULTS_DIR, 'cluster-node2.png') })
      for (const { name, problems } of pages) assert.deepEqual(problems, [], `${name}'s browser reported no errors`)
    } catch (error) {
      for (const { name, page } of pages) await saveFailureScreenshot(page, 'cluster chat', name)
      throw error
    }
  })
})
