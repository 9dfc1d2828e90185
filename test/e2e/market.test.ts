import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { MAX_PENDING_ALERTS } from '../../shared/ticker.ts'
import { browserSkipReason, E2E_PASSWORD, launchBrowser, RESULTS_DIR, saveFailureScreenshot, streamChurn, until, withRegisteredUser } from '../helpers/browser.ts'
import { connect, sendAsClient } from '../helpers/sockets.ts'
import { spawnServer, type SpawnedServer } from '../helpers/spawn-server.ts'

const board = (page: Page) => page.getByRole('region', { name: 'Market' })
const rowOf = (page: Page, symbol: string) => page.locator(`tr.board-row[data-symbol="${symbol}"]`)
const detail = (page: Page) => page.locator('section.detail')

/** The symbols of the board's rows, top to bottom. */
const shownSymbols = (page: Page) => page.locator('tr.board-row').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.symbol ?? ''))

/** Every row's price text, by symbol. */
const priceTexts = (page: Page) => page.locator('tr.board-row').evaluateAll((rows) =>
  Object.fromEntries(rows.map((row) => [(row as HTMLElement).dataset.symbol ?? '', row.querySelector('.price-text')?.textContent ?? ''])))

/** A fingerprint of what the chart's canvases show, and how many colours its largest one uses. */
const chartPicture = (page: Page) => page.locator('.chart-canvas').evaluate((element) => {
  const canvases = Array.from(element.querySelectorAll('canvas'))
  let hash = 0
  let colours = 0
  let largest = 0
  for (const canvas of canvases) {
    if (canvas.width === 0 || canvas.height === 0) continue
    const context = canvas.getContext('2d')
    if (!context) continue
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height)
    const seen = new Set<number>()
    for (let i = 0; i < data.length; i += 4) {
      const value = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!
      hash = (hash * 31 + value + data[i + 3]!) | 0
      if (i % 64 === 0) seen.add(value)
    }
    if (canvas.width * canvas.height > largest) {
      largest = canvas.width * canvas.height
      colours = seen.size
    }
  }
  return { canvases: canvases.length, hash, colours }
})

/** The luminance (0-255) of the chart's background, from its main canvas. */
const chartBackground = (page: Page) => page.locator('.chart-canvas canvas').first().evaluate((canvas) => {
  const context = (canvas as HTMLCanvasElement).getContext('2d')
  const [r = 0, g = 0, b = 0] = context ? context.getImageData(2, 2, 1, 1).data : []
  return Math.round(0.2126 * r + 0.7152 * g + 0.0722 * b)
})

const intervalButton = (page: Page, label: string) => detail(page).getByRole('group', { name: 'Candle interval' }).getByRole('button', { name: label, exact: true })
/** The panes of the chart: the distinct heights at which its wide canvases start. */
const panes = (page: Page) => page.locator('.chart-canvas').evaluate((element) =>
  new Set(Array.from(element.querySelectorAll('canvas')).filter((canvas) => canvas.getBoundingClientRect().width > 200 && canvas.getBoundingClientRect().height > 40).map((canvas) => Math.round(canvas.getBoundingClientRect().top))).size)
/**
 * Records the text the chart draws on its price scales (the narrow canvases at its right edge) with
 * the pane each is in (0 the candles, 1 the volume); `scaleTexts` reads what a pane's scale drew
 * since the last read of it. Installed before the page loads.
 */
const recordScaleTexts = (page: Page) => page.addInitScript(() => {
  let drawn: Array<{ text: string, pane: number }> = []
  ;(window as unknown as { scaleTexts: (pane: number) => string[] }).scaleTexts = (pane) => {
    const read = drawn.filter((entry) => entry.pane === pane).map((entry) => entry.text)
    drawn = drawn.filter((entry) => entry.pane !== pane)
    return [...new Set(read)]
  }
  const fillText = CanvasRenderingContext2D.prototype.fillText
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y, maxWidth) {
    const canvas = this.canvas
    const box = canvas.getBoundingClientRect()
    const chart = canvas.closest('.chart-canvas')
    if (chart !== null && box.width < 150 && box.height > 40) {
      const tops = [...new Set(Array.from(chart.querySelectorAll('canvas')).filter((other) => other.getBoundingClientRect().width > 200 && other.getBoundingClientRect().height > 40).map((other) => Math.round(other.getBoundingClientRect().top)))].sort((a, b) => a - b)
      drawn.push({ text, pane: tops.filter((top) => top <= Math.round(box.top)).length - 1 })
    }
    fillText.call(this, text, x, y, maxWidth)
  }
})
const scaleTexts = (page: Page, pane: number) =>
  page.evaluate((which) => (window as unknown as { scaleTexts: (pane: number) => string[] }).scaleTexts(which), pane)

const chartReady = (page: Page) => until('the chart loaded', () => page.locator('.chart').getAttribute('data-status'), (status) => status === 'ready')

const parsePrice = (text: string) => Number(text.replace(/[^0-9.-]/g, ''))

/**
 * Whether the board shows its rows in change-% order, biggest first, at some moment within 10 s.
 * Values stream in place while the order is taken again every few seconds, so between re-sorts
 * neighbours may cross; each DOM change is looked at as it happens, and a board that sorts right
 * is in order at least right after each re-sort. Also the change-% texts last seen, top to bottom.
 */
const sortedByChange = (page: Page) => page.locator('.board-table tbody').evaluate((tbody) => new Promise<{ inOrder: boolean, pcts: string[] }>((resolve) => {
  let pcts: string[] = []
  const inOrder = () => pcts.map((text) => Number(text.replace('\u2212', '-').replace(/[^0-9.-]/g, '')))
    .every((value, i, values) => i === 0 || values[i - 1]! >= value)
  const done = (result: boolean) => {
    observer.disconnect()
    clearTimeout(timer)
    resolve({ inOrder: result, pcts })
  }
  const check = () => {
    pcts = Array.from(tbody.querySelectorAll('tr.board-row .pct-pill'), (pill) => pill.textContent ?? '')
    if (pcts.length > 1 && inOrder()) done(true)
  }
  const observer = new MutationObserver(check)
  const timer = setTimeout(() => done(false), 10_000)
  observer.observe(tbody, { subtree: true, childList: true, characterData: true })
  check()
}))

/** A port nobody listens on right now (for a server that must come back on the same address). */
const freePort = () => new Promise<number>((resolve, reject) => {
  const probe = createServer()
  probe.once('error', reject)
  probe.listen(0, '127.0.0.1', () => {
    const address = probe.address()
    probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
  })
})

describe('market in the browser', () => {
  let browser: Browser | null = null
  let server: SpawnedServer | null = null
  /** How many symbols are listed (the board shows them all). */
  let LISTED = 0

  before(async () => {
    browser = await launchBrowser()
    if (!browser) return
    server = await spawnServer({ TICKER_HZ: '4' })
    const snapshot = await fetch(`${server.url}/api/ticker/quotes`)
    LISTED = ((await snapshot.json()) as { quotes: unknown[] }).quotes.length
    mkdirSync(RESULTS_DIR, { recursive: true })
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  /** A fresh context with a registered user signed in; on failure a screenshot lands in test-results/. */
  async function withUser (
    t: TestContext,
    username: string,
    options: BrowserContextOptions,
    run: (page: Page, url: string, token: string) => Promise<void>
  ) {
    if (!browser || !server) return t.skip(browserSkipReason)
    const { url } = server
    await withRegisteredUser(browser, url, t, username, { viewport: { width: 1280, height: 800 }, ...options }, (page, token) => run(page, url, token))
  }

  it('streams the board, filters, sorts and keeps a watchlist', (t) => withUser(t, 'board_user', { colorScheme: 'light' }, async (page, url) => {
    await page.goto(`${url}/chat`)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Market' }).click()
    await board(page).getByRole('heading', { name: 'Market', exact: true }).waitFor()
    await board(page).getByText('Simulated market').waitFor()
    assert.equal(await page.title(), 'Market · Hubbub')

    await until('every listed symbol on the board', () => page.locator('tr.board-row').count(), (count) => count === LISTED)
    await board(page).getByRole('status').filter({ hasText: 'Live' }).waitFor()

    // Live: some price cell shows a new value without any reload.
    const first = await priceTexts(page)
    await page.waitForFunction((before) => Array.from(document.querySelectorAll<HTMLElement>('tr.board-row'))
      .some((row) => row.querySelector('.price-text')?.textContent !== before[row.dataset.symbol ?? '']), first)

    // Streaming touches text and attributes in place: no row, cell or node is re-created.
    const churn = await streamChurn(page.locator('.board-table tbody'), 40)
    assert.equal(churn.structural, 0, `no nodes added or removed while ${churn.texts} texts changed`)
    // A moved price flashes strong, then faint, then not, with no animation running meanwhile (an
    // animation, even the compositor's, would draw frames of its own all the time).
    const flashes = await page.evaluate(async () => {
      const seen = new Set<string>()
      for (let i = 0; i < 40; i++) {
        for (const cell of Array.from(document.querySelectorAll('tr.board-row .price-text'))) seen.add(cell.getAttribute('data-flash') ?? 'none')
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      return { seen: [...seen].sort(), animations: document.getAnimations().length }
    })
    for (const state of ['none', 'hot', 'cool']) assert.ok(flashes.seen.some((seen) => seen.endsWith(state)), `a price cell ${state}, in ${flashes.seen.join(', ')}`)
    assert.equal(flashes.animations, 0, 'no animation runs on the live board')
    // Sparklines draw a point a second: wait until most have a few, for a telling picture.
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.sparkline-line'))
      .filter((line) => (line.getAttribute('points') ?? '').split(' ').length >= 8).length >= 30)
    await page.screenshot({ path: join(RESULTS_DIR, 'market-board.png'), animations: 'disabled' })

    // Filter by part of a name: every match, in listing order.
    const filter = page.getByRole('searchbox', { name: 'Filter symbols' })
    await filter.fill('quill')
    await until('only the "quill" companies', () => shownSymbols(page), (symbols) => symbols.join() === 'QLFX,TMBQ,EQML')
    await filter.fill('qsh.')
    await until('both share classes', () => shownSymbols(page), (symbols) => symbols.join() === 'QSH.A,QSH.B')
    await filter.fill('zzzz')
    await board(page).getByText('No symbols match “zzzz”.').waitFor()
    await filter.fill('')
    await until('the whole board again', () => page.locator('tr.board-row').count(), (count) => count === LISTED)

    // Sort by symbol, both ways.
    const symbolHeader = page.getByRole('columnheader', { name: 'Symbol' })
    await symbolHeader.getByRole('button').click()
    assert.equal(await symbolHeader.getAttribute('aria-sort'), 'ascending')
    const ascending = await shownSymbols(page)
    assert.deepEqual(ascending, [...ascending].sort(), 'rows are in symbol order')
    await symbolHeader.getByRole('button').click()
    assert.equal(await symbolHeader.getAttribute('aria-sort'), 'descending')
    assert.deepEqual(await shownSymbols(page), [...ascending].reverse(), 'rows are in reverse symbol order')

    // Sort by the day's change: every row at or above the one below it.
    const pctHeader = page.getByRole('columnheader', { name: 'Change %' })
    await pctHeader.getByRole('button').click()
    assert.equal(await pctHeader.getAttribute('aria-sort'), 'descending', 'numbers sort biggest first')
    assert.equal(await symbolHeader.getAttribute('aria-sort'), null, 'one sorted column at a time')
    // A live sort holds still while the pointer is over the table: move it away.
    await page.mouse.move(0, 0)
    const sorted = await sortedByChange(page)
    assert.ok(sorted.inOrder, `rows in change-% order, biggest first; the board last showed ${sorted.pcts.join(' ')}`)

    // Star one symbol; "Watchlist only" shows just it, and both survive a reload.
    const star = rowOf(page, 'GRDL').getByRole('button', { name: 'Add GRDL to watchlist' })
    await star.click()
    await rowOf(page, 'GRDL').getByRole('button', { name: 'Remove GRDL from watchlist' }).waitFor()
    const watchOnly = page.getByRole('button', { name: /Watchlist only/ })
    await watchOnly.click()
    assert.equal(await watchOnly.getAttribute('aria-pressed'), 'true')
    await until('only the starred row', () => shownSymbols(page), (symbols) => symbols.join() === 'GRDL')
    await page.reload()
    await until('the starred row after a reload', () => shownSymbols(page), (symbols) => symbols.join() === 'GRDL')
    await page.getByRole('button', { name: /Watchlist only/ }).click()
    await until('the whole board again', () => page.locator('tr.board-row').count(), (count) => count === LISTED)
  }))

  it('opens a live chart, switches its interval and fires a price alert', (t) => withUser(t, 'chart_user', { colorScheme: 'light' }, async (page, url, token) => {
    // Fill the user's alert quota with alerts that never fire, so the form meets `conflict`.
    const socket = await connect(url, '/ticker', { token })
    try {
      for (let i = 0; i < MAX_PENDING_ALERTS; i++) {
        const created = await sendAsClient(socket, 'ticker:alert-create', { symbol: 'BKMW', direction: 'above', price: 999_999 + i })
        assert.equal(created.ok, true, `alert ${i} was created: ${JSON.stringify(created)}`)
      }
    } finally {
      socket.close()
    }

    // What the page sends over its WebSocket (to see which candle series it asks for).
    const sent: string[] = []
    page.on('websocket', (ws) => ws.on('framesent', ({ payload }) => { if (typeof payload === 'string') sent.push(payload) }))

    await page.goto(`${url}/market`)
    await until('every listed symbol on the board', () => page.locator('tr.board-row').count(), (count) => count === LISTED)

    // A click on a row opens its detail at its own address.
    await rowOf(page, 'QLFX').locator('.col-name').click()
    await page.waitForURL(`${url}/market/QLFX`)
    await detail(page).getByRole('heading', { name: 'QLFX' }).waitFor()
    assert.equal(await page.title(), 'QLFX · Market · Hubbub')
    assert.equal(await rowOf(page, 'QLFX').getAttribute('aria-current'), 'true', 'the open symbol is marked on the board')

    // The chart draws candles, then moves with the stream.
    await page.locator('.chart[data-status="ready"]').waitFor()
    const drawn = await until('a drawn chart', () => chartPicture(page), (picture) => picture.canvases > 0 && picture.colours > 3)
    await until('the chart to move', () => chartPicture(page), (picture) => picture.hash !== drawn.hash)
    await page.screenshot({ path: join(RESULTS_DIR, 'market-chart.png'), animations: 'disabled' })

    // 1 m candles, then back to 5 s: each switch asks the server for that series.
    const interval = page.getByRole('group', { name: 'Candle interval' })
    await interval.getByRole('button', { name: '1 m' }).click()
    assert.equal(await interval.getByRole('button', { name: '1 m' }).getAttribute('aria-pressed'), 'true')
    await until('a request for 1 minute candles', async () => sent.filter((frame) => frame.includes('"ticker:candles"') && frame.includes('"interval":"1m"')).length, (count) => count > 0)
    await page.locator('.chart[data-status="ready"]').waitFor()
    await until('1 minute candles on the chart', () => chartPicture(page), (picture) => picture.hash !== drawn.hash && picture.colours > 3)
    await interval.getByRole('button', { name: '5 s' }).click()
    assert.equal(await interval.getByRole('button', { name: '5 s' }).getAttribute('aria-pressed'), 'true')
    await page.locator('.chart[data-status="ready"]').waitFor()

    // Keyboard: Enter on a focused row opens it.
    await rowOf(page, 'BKMW').focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(`${url}/market/BKMW`)
    await detail(page).getByRole('heading', { name: 'BKMW' }).waitFor()

    // The quota is full: the server's refusal is shown on the form.
    const alerts = detail(page).getByRole('region', { name: 'Price alerts' })
    await alerts.getByText(`${MAX_PENDING_ALERTS} of ${MAX_PENDING_ALERTS} in use`).waitFor()
    const priceField = alerts.getByLabel('Alert price')
    assert.match(await priceField.inputValue(), /^\d+\.\d{2}$/, 'the price is prefilled')
    await alerts.getByRole('button', { name: 'Set alert' }).click()
    await alerts.getByRole('alert').filter({ hasText: `You already have ${MAX_PENDING_ALERTS} pending alerts` }).waitFor()

    // A price the schema refuses never leaves the browser.
    await priceField.fill('-3')
    await alerts.getByRole('button', { name: 'Set alert' }).click()
    await alerts.getByText('Enter a price as a number, like 42.50.').waitFor()
    assert.equal(await priceField.getAttribute('aria-invalid'), 'true')

    // Delete one, then set one that the next trade crosses: "above" a price below the current one.
    const pending = alerts.getByRole('list', { name: 'Pending alerts of BKMW' }).getByRole('listitem')
    await pending.first().getByRole('button', { name: /^Delete alert/ }).click()
    await until('one alert fewer', () => pending.count(), (count) => count === MAX_PENDING_ALERTS - 1)
    const current = parsePrice(await detail(page).locator('.headline-price').innerText())
    const threshold = (Math.floor(current * 0.97 * 100) / 100).toFixed(2)
    await priceField.fill(threshold)
    await alerts.getByText('so it fires on the next trade').waitFor()
    await alerts.getByRole('button', { name: 'Set alert' }).click()
    await alerts.getByRole('alert').filter({ hasText: 'Set it anyway?' }).waitFor()
    await alerts.getByRole('button', { name: 'Set anyway' }).click()

    // It fires: it leaves the pending list, shows as fired, and the user has the notification.
    const fired = alerts.getByRole('list', { name: 'Fired alerts of BKMW' })
    await fired.getByText(`Fired: above ${threshold}`).waitFor()
    await until('the fired alert out of the pending list', () => pending.allInnerTexts(), (texts) =>
      texts.length === MAX_PENDING_ALERTS - 1 && !texts.some((text) => text.includes(`Above ${threshold}`)))
    const notifications = await until('a price-alert notification', async () => {
      const response = await page.request.get(`${url}/api/notifications`)
      const body = await response.json() as { notifications: Array<{ kind: string, url: string | null, title: string }> }
      return body.notifications.filter((notification) => notification.kind === 'price-alert')
    }, (list) => list.length > 0)
    assert.equal(notifications[0]!.url, '/market/BKMW')
    assert.match(notifications[0]!.title, /^BKMW above /)
    await page.screenshot({ path: join(RESULTS_DIR, 'market-alert.png'), animations: 'disabled' })

    // The deep link survives a reload; closing returns to the board.
    await page.reload()
    await detail(page).getByRole('heading', { name: 'BKMW' }).waitFor()
    await page.locator('.chart[data-status="ready"]').waitFor()
    await detail(page).getByRole('button', { name: 'Close BKMW' }).click()
    await page.waitForURL(`${url}/market`)
    assert.equal(await detail(page).count(), 0, 'the detail is closed')
  }))

  it('scrolls the symbol panel to its end without scrolling the page', (t) => withUser(t, 'scroll_user', { colorScheme: 'light' }, async (page, url) => {
    await page.goto(`${url}/market`)
    await until('every listed symbol on the board', () => page.locator('tr.board-row').count(), (count) => count === LISTED)
    await rowOf(page, 'QLFX').locator('.col-name').click()
    await page.locator('.chart[data-status="ready"]').waitFor()
    await detail(page).getByRole('button', { name: 'Set alert' }).waitFor()
    // The wheel over the panel (below the chart, which takes the wheel itself), until the panel
    // is at its end, and once more: what a panel at its end passes on to the page.
    const box = await detail(page).boundingBox()
    assert.ok(box, 'the panel is on screen')
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 30)
    const atEnd = () => detail(page).evaluate((element) => Math.ceil(element.scrollTop + element.clientHeight) >= element.scrollHeight)
    await until('the panel at its end', async () => {
      await page.mouse.wheel(0, 400)
      return atEnd()
    }, (end) => end)
    await page.mouse.wheel(0, 400)
    const page_ = await page.evaluate(() => ({ scrollHeight: document.documentElement.scrollHeight, innerHeight: window.innerHeight, scrollY: window.scrollY }))
    assert.ok(page_.scrollHeight <= page_.innerHeight, `the page fits the window: expected a height of at most ${page_.innerHeight} px, saw ${page_.scrollHeight} px`)
    assert.equal(page_.scrollY, 0, 'the page did not scroll')
    const bar = await page.getByRole('banner').boundingBox()
    assert.equal(bar?.y, 0, 'the top bar stays in place')
  }))

  it('keeps the alert form live on a symbol opened by its address: hint, suggestion, and a warning before a crossed alert', (t) => withUser(t, 'deep_link_user', { colorScheme: 'light' }, async (page, url) => {
    await page.goto(`${url}/market/NNMW`)
    const alerts = detail(page).getByRole('region', { name: 'Price alerts' })
    const hint = alerts.locator('.alert-hint')
    await until('a hint with the live price', () => hint.innerText(), (text) => /^Now \d/.test(text))

    // The suggestion follows the live price, 1 % above it, until the user types their own.
    const priceField = alerts.getByLabel('Alert price')
    const first = await priceField.inputValue()
    const followsPrice = () => detail(page).evaluate((element) => ({
      suggested: (element.querySelector('.alert-price-input') as HTMLInputElement).value,
      price: element.querySelector('.headline-price')?.textContent ?? ''
    }))
    await until('a suggestion moved with the price', followsPrice, ({ suggested, price }) =>
      suggested !== first && Math.abs(Number(suggested) - parsePrice(price) * 1.01) < 0.015)

    // Typing over the selected suggestion replaces it, even when trades come in while the field has
    // focus (this is fill() in two steps, select then type, with trades in between).
    const headline = async () => parsePrice(await detail(page).locator('.headline-price').innerText())
    await priceField.selectText()
    const current = await headline()
    const threshold = (Math.floor(current * 0.9 * 100) / 100).toFixed(2)
    await until('a trade while the field has focus', headline, (price) => Math.abs(price - current) >= 0.02)
    await page.keyboard.insertText(threshold)
    assert.equal(await priceField.inputValue(), threshold, 'what was typed replaced the suggestion')

    // A price already crossed is set only once the user confirms it.
    await alerts.getByRole('button', { name: 'Set alert' }).click()
    await alerts.getByRole('alert').filter({ hasText: `already above ${threshold}: this alert would fire on the next trade. Set it anyway?` }).waitFor()
    assert.equal(await alerts.getByRole('list', { name: 'Pending alerts of NNMW' }).count(), 0, 'nothing set yet')
    assert.equal(await priceField.inputValue(), threshold, 'the typed price stays')
    await alerts.getByRole('button', { name: 'Set anyway' }).click()
    await alerts.getByRole('list', { name: /alerts of NNMW/ }).getByText(new RegExp(`bove ${threshold}`)).waitFor()

    // A reload keeps the hint too.
    await page.reload()
    await until('a hint after a reload', () => hint.innerText(), (text) => /^Now \d/.test(text))
  }))

  it('moves focus into the symbol panel opened with Enter, a few Tabs from its chart switch', (t) => withUser(t, 'keyboard_user', { colorScheme: 'light' }, async (page, url) => {
    await page.goto(`${url}/market`)
    await until('every listed symbol on the board', () => page.locator('tr.board-row').count(), (count) => count === LISTED)
    await rowOf(page, 'TNKR').focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(`${url}/market/TNKR`)
    const switchGroup = detail(page).getByRole('group', { name: 'Candle interval' })
    await switchGroup.waitFor()
    await until('focus in the panel', () => detail(page).evaluate((element) => element.contains(document.activeElement)), (inside) => inside)
    let presses = 0
    while (!(await switchGroup.evaluate((element) => element.contains(document.activeElement))) && presses < 200) {
      await page.keyboard.press('Tab')
      presses++
    }
    assert.ok(presses <= 4, `expected the chart switch within 4 Tab presses, it took ${presses}`)
  }))

  it('follows the dark scheme, the chart included', (t) => withUser(t, 'dark_user', { colorScheme: 'light' }, async (page, url) => {
    await page.goto(`${url}/market/NNMW`)
    await page.locator('.chart[data-status="ready"]').waitFor()
    await until('a light chart', () => chartBackground(page), (luminance) => luminance > 200)
    // The scheme changes while the chart is open: it repaints in the dark colours.
    await page.emulateMedia({ colorScheme: 'dark' })
    await until('a dark chart', () => chartBackground(page), (luminance) => luminance < 60)
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    assert.notEqual(background, 'rgb(244, 245, 248)', 'the page is dark too')
    await until('the chart to draw candles', () => chartPicture(page), (picture) => picture.colours > 3)
    await page.screenshot({ path: join(RESULTS_DIR, 'market-dark.png'), animations: 'disabled' })
  }))

  it('fits a 360 px wide screen, the detail as a full view', (t) => withUser(t, 'narrow_user', { viewport: { width: 360, height: 740 }, hasTouch: true, colorScheme: 'light' }, async (page, url) => {
    await page.goto(`${url}/market`)
    await until('every listed symbol on the board', () => page.locator('tr.board-row').count(), (count) => count === LISTED)
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.equal(await overflow(), 0, 'nothing sticks out sideways')
    const tableOverflow = await page.locator('.board-scroll').evaluate((element) => element.scrollWidth - element.clientWidth)
    assert.equal(tableOverflow, 0, 'the board fits without scrolling sideways')
    await page.screenshot({ path: join(RESULTS_DIR, 'market-360.png'), animations: 'disabled' })

    await rowOf(page, 'SILQ').locator('.col-price').tap()
    await page.waitForURL(`${url}/market/SILQ`)
    await page.locator('.chart[data-status="ready"]').waitFor()
    assert.equal(await board(page).isVisible(), false, 'the detail replaces the board')
    assert.equal(await overflow(), 0, 'the detail fits too')
    await until('a drawn chart', () => chartPicture(page), (picture) => picture.colours > 3)
    await page.screenshot({ path: join(RESULTS_DIR, 'market-360-detail.png'), animations: 'disabled' })

    await detail(page).getByRole('link', { name: 'Market' }).tap()
    await page.waitForURL(`${url}/market`)
    await board(page).waitFor()
  }))

  it('re-subscribes after the server restarts, the chart included', async (t) => {
    if (!browser) return t.skip(browserSkipReason)
    // One database for both servers, so the session (and its cookie) outlives the restart.
    const dir = mkdtempSync(join(tmpdir(), 'hubbub-market-restart-'))
    const env = { PORT: String(await freePort()), DATABASE_URL: `sqlite:${join(dir, 'hubbub.db')}`, TICKER_HZ: '4' }
    let current: SpawnedServer | null = await spawnServer(env)
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })
    context.setDefaultTimeout(20_000)
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    try {
      const url = current.url
      const registered = await page.request.post(`${url}/api/auth/register`, { data: { username: 'restart_user', password: E2E_PASSWORD } })
      assert.equal(registered.status(), 201)
      await page.goto(`${url}/market/QLFX`)
      const live = board(page).getByRole('status').filter({ hasText: /^Live$/ })
      await live.waitFor()
      await page.locator('.chart[data-status="ready"]').waitFor()

      await current.stop()
      current = null
      await board(page).getByRole('status').filter({ hasText: 'Reconnecting…' }).waitFor()
      // Candle histories the page receives from now on (acks of ticker:candles on the new connection).
      let histories = 0
      page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string' && payload.includes('"candles":[')) histories++
      }))
      current = await spawnServer(env)
      await live.waitFor()

      // The new process starts its quote seqs from zero: the board must still take its quotes.
      const before = await priceTexts(page)
      await page.waitForFunction((seen) => Array.from(document.querySelectorAll<HTMLElement>('tr.board-row'))
        .some((row) => row.querySelector('.price-text')?.textContent !== seen[row.dataset.symbol ?? '']), before)
      // And the chart watches its series again (the new server knows nothing of the old watch):
      // it reloads its history, then moves with the pushes.
      await until('the chart history reloaded', async () => histories, (count) => count > 0)
      await page.locator('.chart[data-status="ready"]').waitFor()
      const picture = await chartPicture(page)
      await until('the chart to move after the restart', () => chartPicture(page), (next) => next.hash !== picture.hash)
      assert.deepEqual(problems, [], 'the page reported no errors')
    } catch (error) {
      await saveFailureScreenshot(page, 'market restart')
      throw error
    } finally {
      await context.close()
      await current?.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('switches to 1 h candles reaching back days, with a volume pane, an EMA and a comparison, and keeps them after a reload', async (t) => {
    await withUser(t, 'chart_keeper', {}, async (page, url) => {
      await recordScaleTexts(page)
      await page.goto(`${url}/market/QLFX`)
      await chartReady(page)
      assert.equal(await panes(page), 2, 'candles and volume in two panes')
      // The price scale in prices, the volume's compact (12K, 1.2M), never like a price.
      await until('prices on the price scale', () => scaleTexts(page, 0), (texts) => texts.some((text) => /^\d[\d,]*\.\d\d$/.test(text)))
      const volumes = await until('volumes on the volume scale', () => scaleTexts(page, 1), (texts) => texts.length > 0)
      assert.ok(volumes.every((text) => /^\d+(\.\d)?[KMB]?$/.test(text)), `compact volumes, got ${volumes.join(' ')}`)
      await intervalButton(page, '1 h').click()
      assert.equal(await intervalButton(page, '1 h').getAttribute('aria-pressed'), 'true')
      await chartReady(page)
      assert.match(await page.locator('.chart-canvas').getAttribute('aria-label') ?? '', /1 hour candles/)
      await detail(page).getByLabel('Average').selectOption('ema')
      await detail(page).getByLabel('Period').selectOption('50')
      await detail(page).getByLabel('Compare').selectOption('NBLM')
      await until('the comparison key', () => page.locator('.chart-compare-key').textContent(), (text) => text?.includes('NBLM') ?? false)
      await until('the comparison line', () => page.locator('.chart').getAttribute('data-compared'), (value) => value === 'NBLM')
      // A comparison turns the price scale into percent (no price left on it).
      await scaleTexts(page, 0)
      const percents = await until('a percent scale', () => scaleTexts(page, 0), (texts) => texts.length > 1 && texts.every((text) => text.endsWith('%')))
      assert.ok(percents.includes('0.0%') || percents.some((text) => text.startsWith('+')), `percent from the left edge, got ${percents.join(' ')}`)
      await page.screenshot({ path: join(RESULTS_DIR, 'market-chart-1h-light.png') })
      await page.emulateMedia({ colorScheme: 'dark' })
      await until('a dark chart', () => chartBackground(page), (luminance) => luminance < 60)
      await page.screenshot({ path: join(RESULTS_DIR, 'market-chart-1h-dark.png') })
      await page.emulateMedia({ colorScheme: 'light' })

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
    await withUser(t, 'chart_phone', { viewport: { width: 390, height: 844 }, colorScheme: 'dark' }, async (page, url) => {
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
