import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { browserSkipReason, E2E_PASSWORD, launchBrowser, RESULTS_DIR, saveFailureScreenshot, until, watchProblems } from '../helpers/browser.ts'
import { spawnServer, type SpawnedServer } from '../helpers/spawn-server.ts'

const detail = (page: Page) => page.locator('section.detail')
const intervalButton = (page: Page, label: string) => detail(page).getByRole('group', { name: 'Candle interval' }).getByRole('button', { name: label, exact: true })
/** The panes of the chart: the distinct heights at which its wide canvases start. */
const panes = (page: Page) => page.locator('.chart-canvas').evaluate((element) =>
  new Set(Array.from(element.querySelectorAll('canvas')).filter((canvas) => canvas.getBoundingClientRect().width > 200 && canvas.getBoundingClientRect().height > 40).map((canvas) => Math.round(canvas.getBoundingClientRect().top))).size)
const chartReady = (page: Page) => until('the chart loaded', () => page.locator('.chart').getAttribute('data-status'), (status) => status === 'ready')

describe('market chart in the browser', () => {
  let browser: Browser | null = null
  let server: SpawnedServer | null = null

  before(async () => {
    browser = await launchBrowser()
    if (!browser) return
    server = await spawnServer({ TICKER_HZ: '4' })
    mkdirSync(RESULTS_DIR, { recursive: true })
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  async function withPage (t: TestContext, options: BrowserContextOptions, run: (page: Page, url: string) => Promise<void>) {
    if (!browser || !server) return t.skip(browserSkipReason)
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', ...options })
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    const problems = watchProblems(page)
    try {
      // Registering through the context's request API gives the page its session cookie.
      const registered = await page.request.post(`${server.url}/api/auth/register`, { data: { username: `chart_${Date.now() % 1e8}`, password: E2E_PASSWORD } })
      assert.equal(registered.status(), 201, 'the user was registered')
      await run(page, server.url)
      assert.deepEqual(problems, [], 'the browser reported no errors')
    } catch (error) {
      await saveFailureScreenshot(page, t.name)
      throw error
    } finally {
      await context.close()
    }
  }

  it('switches to 1 h candles reaching back days, with a volume pane, an EMA and a comparison, and keeps them after a reload', async (t) => {
    await withPage(t, {}, async (page, url) => {
      await page.goto(`${url}/market/QLFX`)
      await chartReady(page)
      assert.equal(await panes(page), 2, 'candles and volume in two panes')
      await intervalButton(page, '1 h').click()
      assert.equal(await intervalButton(page, '1 h').getAttribute('aria-pressed'), 'true')
      await chartReady(page)
      assert.match(await page.locator('.chart-canvas').getAttribute('aria-label') ?? '', /1 hour candles/)
      await detail(page).getByLabel('Average').selectOption('ema')
      await detail(page).getByLabel('Period').selectOption('50')
      await detail(page).getByLabel('Compare').selectOption('NBLM')
      await until('the comparison key', () => page.locator('.chart-compare-key').textContent(), (text) => text?.includes('NBLM') ?? false)
      await until('the comparison line', () => page.locator('.chart').getAttribute('data-compared'), (value) => value === 'NBLM')
      await page.screenshot({ path: join(RESULTS_DIR, 'market-chart-1h-light.png') })

      await page.reload()
      await chartReady(page)
      assert.equal(await intervalButton(page, '1 h').getAttribute('aria-pressed'), 'true', 'the interval is kept for QLFX')
      assert.equal(await detail(page).getByLabel('Average').inputValue(), 'ema')
      assert.equal(await detail(page).getByLabel('Period').inputValue(), '50')
      assert.equal(await detail(page).getByLabel('Compare').inputValue(), 'NBLM')

      // Another symbol has its own settings.
      await page.goto(`${url}/market/NBLM`)
      await chartReady(page)
      assert.equal(await intervalButton(page, '5 s').getAttribute('aria-pressed'), 'true')
      assert.equal(await detail(page).getByLabel('Average').inputValue(), '')
    })
  })

  it('shows the chart readable in dark mode on a phone', async (t) => {
    await withPage(t, { viewport: { width: 390, height: 844 }, colorScheme: 'dark' }, async (page, url) => {
      await page.goto(`${url}/market/PKTL`)
      await chartReady(page)
      await intervalButton(page, '15 m').click()
      await chartReady(page)
      await detail(page).getByLabel('Average').selectOption('sma')
      await page.screenshot({ path: join(RESULTS_DIR, 'market-chart-phone-dark.png') })
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`)
    })
  })
})
