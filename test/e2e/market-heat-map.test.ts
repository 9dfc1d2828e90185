import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { browserSkipReason, launchBrowser, RESULTS_DIR, streamChurn, until, withRegisteredUser } from '../helpers/browser.ts'
import { spawnServer, type SpawnedServer } from '../helpers/spawn-server.ts'

const heatMap = (page: Page) => page.getByRole('region', { name: 'Heat map' })
const tiles = (page: Page) => page.locator('a.heat-tile')
const toggle = (page: Page) => page.locator('button.heat-toggle')

/** The symbols of the tiles, in the map's order. */
const tileSymbols = (page: Page) => tiles(page).evaluateAll((all) => all.map((tile) => (tile as HTMLElement).dataset.symbol ?? ''))

/** Every tile's change text, by symbol. */
const tileTexts = (page: Page) => tiles(page).evaluateAll((all) =>
  Object.fromEntries(all.map((tile) => [(tile as HTMLElement).dataset.symbol ?? '', tile.querySelector('.heat-pct')?.textContent ?? ''])))

/** The market's stylesheet is applied (it comes with the market's code, after the first paint). */
const styled = (page: Page) => page.waitForFunction(() => {
  const market = document.querySelector('.market')
  return market !== null && getComputedStyle(market).display === 'grid'
})

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)

describe('market heat map in the browser', () => {
  let browser: Browser | null = null
  let server: SpawnedServer | null = null
  let listed: string[] = []

  before(async () => {
    browser = await launchBrowser()
    if (!browser) return
    server = await spawnServer({ TICKER_HZ: '4' })
    const snapshot = await fetch(`${server.url}/api/ticker/quotes`)
    listed = ((await snapshot.json()) as { quotes: Array<{ symbol: string }> }).quotes.map((quote) => quote.symbol)
    mkdirSync(RESULTS_DIR, { recursive: true })
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  /** A fresh context with a registered user signed in; on failure a screenshot lands in test-results/. */
  async function withUser (t: TestContext, username: string, options: BrowserContextOptions, run: (page: Page, url: string) => Promise<void>) {
    if (!browser || !server) return t.skip(browserSkipReason)
    const { url } = server
    await withRegisteredUser(browser, url, t, username, options, (page) => run(page, url))
  }

  it('shows a live tile per symbol beside the board on a wide screen; a tile opens its symbol', (t) => withUser(t, 'heat_wide', { viewport: { width: 1500, height: 900 }, colorScheme: 'light' }, async (page, url) => {
    await page.goto(`${url}/market`)
    await styled(page)
    await heatMap(page).waitFor()
    assert.equal(await toggle(page).isVisible(), false, 'no toggle where the map fits beside the board')
    await until('one tile per listed symbol', () => tileSymbols(page), (symbols) => symbols.length === listed.length)
    assert.deepEqual([...await tileSymbols(page)].sort(), [...listed].sort(), 'every symbol has exactly one tile')
    const mapBox = (await heatMap(page).boundingBox())!
    const boardBox = (await page.getByRole('region', { name: 'Market' }).boundingBox())!
    assert.ok(mapBox.x >= boardBox.x + boardBox.width - 1, `the map (x ${mapBox.x}) is beside the board (ending at ${boardBox.x + boardBox.width})`)
    for (const sector of ['Technology', 'Utilities', 'Financials']) await heatMap(page).getByText(sector, { exact: true }).waitFor()

    // Live: some tile's text changes in place, with no tile added or removed meanwhile.
    const first = await tileTexts(page)
    const churn = await streamChurn(page.locator('.heat-tiles'), 10)
    assert.equal(churn.structural, 0, `no tile added or removed while ${churn.texts} texts changed`)
    const later = await tileTexts(page)
    assert.ok(Object.keys(later).some((symbol) => later[symbol] !== first[symbol]), 'a tile shows a new change')
    const label = await tiles(page).first().getAttribute('aria-label')
    assert.match(label ?? '', /^[A-Z][A-Z0-9.]*, .+: [+−-]?[0-9.]+%/, 'a tile is labelled with its symbol, name and change')

    await page.screenshot({ path: join(RESULTS_DIR, 'market-heat-map-wide-light.png'), animations: 'disabled' })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: join(RESULTS_DIR, 'market-heat-map-wide-dark.png'), animations: 'disabled' })
    await page.emulateMedia({ colorScheme: 'light' })

    // By keyboard: one Tab stop, arrows move between tiles, Enter opens the focused one.
    assert.equal(await page.locator('a.heat-tile[tabindex="0"]').count(), 1, 'the map is one stop for Tab')
    await tiles(page).first().focus()
    await page.keyboard.press('ArrowRight')
    const second = (await tileSymbols(page))[1]!
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.symbol), second, 'the arrow moved to the next tile')
    assert.equal(await page.locator('a.heat-tile[tabindex="0"]').getAttribute('data-symbol'), second, 'the stop moved with the focus')
    await page.keyboard.press('Enter')
    await page.waitForURL(`${url}/market/${encodeURIComponent(second)}`)

    await page.goto(`${url}/market`)
    await until('the tiles again', () => tiles(page).count(), (count) => count === listed.length)
    const target = tiles(page).and(page.locator('[data-text="full"]')).last()
    const symbol = (await target.getAttribute('data-symbol'))!
    await target.click()
    await page.waitForURL(`${url}/market/${encodeURIComponent(symbol)}`)
    await page.locator('section.detail').waitFor()
  }))

  it('hides the map behind a remembered toggle on a narrower screen', (t) => withUser(t, 'heat_narrow', { viewport: { width: 1000, height: 800 }, colorScheme: 'light' }, async (page, url) => {
    await page.goto(`${url}/market`)
    await styled(page)
    await until('the board', () => page.locator('tr.board-row').count(), (count) => count === listed.length)
    assert.equal(await heatMap(page).isVisible(), false, 'the map starts hidden')
    await toggle(page).click()
    assert.equal(await toggle(page).textContent(), 'Hide heat map')
    assert.equal(await toggle(page).getAttribute('aria-expanded'), 'true')
    await heatMap(page).waitFor()
    await until('one tile per listed symbol', () => tiles(page).count(), (count) => count === listed.length)
    const mapBox = (await heatMap(page).boundingBox())!
    const boardBox = (await page.getByRole('region', { name: 'Market' }).boundingBox())!
    assert.ok(mapBox.y + mapBox.height <= boardBox.y + 1, 'the map is above the board')

    await page.reload()
    await heatMap(page).waitFor()
    assert.equal(await toggle(page).textContent(), 'Hide heat map', 'the choice is remembered')
    await toggle(page).click()
    await heatMap(page).waitFor({ state: 'hidden' })
    assert.equal(await toggle(page).textContent(), 'Show heat map')
  }))

  it('fits a 360 px wide screen', (t) => withUser(t, 'heat_phone', { viewport: { width: 360, height: 740 }, hasTouch: true, colorScheme: 'light' }, async (page, url) => {
    await page.goto(`${url}/market`)
    await until('the board', () => page.locator('tr.board-row').count(), (count) => count === listed.length)
    await toggle(page).tap()
    await until('one tile per listed symbol', () => tiles(page).count(), (count) => count === listed.length)
    assert.equal(await overflow(page), 0, 'nothing sticks out sideways')
    const box = (await heatMap(page).boundingBox())!
    assert.ok(box.x >= 0 && box.x + box.width <= 360, `the map fits the screen: ${JSON.stringify(box)}`)
    await page.screenshot({ path: join(RESULTS_DIR, 'market-heat-map-360.png'), animations: 'disabled' })
  }))
})
