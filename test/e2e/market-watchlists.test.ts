import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { RESULTS_DIR, until, watchAppearances } from '../helpers/browser.ts'
import { anotherTab, twoPeopleSuite } from '../helpers/e2e-people.ts'

const rowOf = (page: Page, symbol: string) => page.locator(`tr.board-row[data-symbol="${symbol}"]`)
const shot = (page: Page, name: string) => page.screenshot({ path: `${RESULTS_DIR}/watchlists ${name}.png`, fullPage: true })
/** The names of the watchlists shown, in order. */
const cards = (page: Page) => page.locator('li.wl-card').evaluateAll((items) => items.map((item) => item.querySelector('input')?.value ?? ''))
const rowsOf = (page: Page, list: 'Pending alerts' | 'Fired alerts') => page.getByRole('list', { name: list }).locator('.ap-row')

describe('market watchlists and alerts page (Chromium)', () => {
  const people = twoPeopleSuite('/market', 'watchlists')

  it('creates a list, stars a symbol in it, and a second tab sees both live; lists move by keyboard', (t) => people.step(t, async () => {
    const { alice, bob } = people
    const tab1 = alice.page
    const tab2 = await anotherTab(alice)
    await tab2.goto(`${people.server.url}/market`)
    await rowOf(tab2, 'QLFX').waitFor()
    // Headless Chromium renders frames for the page in front only: each step brings its tab forward.
    await tab1.bringToFront()

    await tab1.goto(`${people.server.url}/market/watchlists`)
    await tab1.getByRole('heading', { name: 'Watchlists' }).waitFor()
    await tab1.getByLabel('New list name').fill('Tech picks')
    await tab1.getByRole('button', { name: 'Create list' }).click()
    await until('the new list', () => cards(tab1), (names) => names.join() === 'Tech picks')

    await tab1.getByRole('link', { name: 'Market' }).first().click()
    await rowOf(tab1, 'QLFX').getByRole('button', { name: 'Add QLFX to watchlist' }).click()
    await rowOf(tab1, 'QLFX').getByRole('button', { name: 'Remove QLFX from watchlist' }).waitFor()
    // The other tab never reloaded: the push brought the list and its star.
    await tab2.bringToFront()
    await rowOf(tab2, 'QLFX').getByRole('button', { name: 'Remove QLFX from watchlist' }).waitFor()
    await rowOf(tab2, 'BKMW').getByRole('button', { name: 'Add BKMW to watchlist' }).click()
    await tab1.bringToFront()
    await rowOf(tab1, 'BKMW').getByRole('button', { name: 'Remove BKMW from watchlist' }).waitFor()
    await tab2.bringToFront()
    await shot(tab2, 'board second tab')

    // A second list, made active on the board, then moved above the first with Alt+Up.
    await tab2.goto(`${people.server.url}/market/watchlists`)
    await tab2.getByLabel('New list name').fill('Energy')
    await tab2.getByRole('button', { name: 'Create list' }).click()
    await until('two lists in tab 2', () => cards(tab2), (names) => names.join() === 'Tech picks,Energy')
    await tab2.locator('li.wl-card').nth(1).focus()
    await tab2.keyboard.press('Alt+ArrowUp')
    await until('Energy first in tab 2', () => cards(tab2), (names) => names.join() === 'Energy,Tech picks')
    await tab1.bringToFront()
    await tab1.goto(`${people.server.url}/market/watchlists`)
    await until('Energy first in tab 1', () => cards(tab1), (names) => names.join() === 'Energy,Tech picks')
    // Symbols of a list move with Alt+Down too.
    const tech = tab1.locator('li.wl-card').nth(1)
    const symbols = () => tech.locator('li.wl-symbol').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.symbol))
    assert.deepEqual(await symbols(), ['QLFX', 'BKMW'])
    await tech.locator('li.wl-symbol[data-symbol="QLFX"]').focus()
    await tab1.keyboard.press('Alt+ArrowDown')
    await until('QLFX moved down', symbols, (order) => order.join() === 'BKMW,QLFX')
    await shot(tab1, 'lists light')
    // Bob sees none of it.
    await bob.page.bringToFront()
    await bob.page.goto(`${people.server.url}/market/watchlists`)
    await bob.page.getByText('No watchlists yet').waitFor()
    await shot(bob.page, 'lists dark empty')
    await tab2.close()
  }))

  it('lists pending and fired alerts across symbols, deletes and re-arms them, in two tabs', (t) => people.step(t, async () => {
    const { alice } = people
    const tab1 = alice.page
    const tab2 = await anotherTab(alice)
    await Promise.all([tab1, tab2].map((page) => page.goto(`${people.server.url}/market/alerts`)))
    await tab2.getByRole('heading', { name: 'Alerts' }).waitFor()
    await tab1.bringToFront()

    const create = async (symbol: string, kind: string, direction: string, amount: string) => {
      await tab1.getByLabel('Symbol').fill(symbol)
      await tab1.getByLabel('When it').selectOption(kind)
      await tab1.getByLabel('Direction').selectOption(direction)
      await tab1.getByRole('textbox', { name: kind === 'cross' ? 'Price' : 'By %' }).fill(amount)
      await tab1.getByRole('button', { name: 'Set alert' }).click()
    }
    // One that never fires, one that the next trade fires.
    await create('NBLM', 'day-move', 'below', '99')
    await create('QLFX', 'cross', 'above', '0.01')
    await tab2.bringToFront()
    await rowsOf(tab2, 'Pending alerts').filter({ hasText: 'Moves down 99% within the day' }).waitFor()
    await rowsOf(tab2, 'Fired alerts').filter({ hasText: 'QLFX' }).waitFor()
    await tab1.bringToFront()
    await rowsOf(tab1, 'Fired alerts').filter({ hasText: 'QLFX' }).waitFor()
    await shot(tab1, 'alerts light')

    // Re-armed in tab 1, it is pending again in tab 2 (and fires again at the next trade).
    const pendingQlfx = await watchAppearances(tab2, '[aria-label="Pending alerts"] .ap-row')
    await tab1.getByRole('button', { name: 'Re-arm QLFX Above 0.01' }).click()
    await tab2.bringToFront()
    await until('the re-armed alert pending in tab 2', pendingQlfx, (texts) => texts.some((text) => text.includes('QLFX')))
    await until('it fired again', () => rowsOf(tab2, 'Fired alerts').filter({ hasText: 'QLFX' }).count(), (n) => n === 1)

    // Deleted in tab 1: gone from both tabs, pending and fired alike.
    await tab1.bringToFront()
    await rowsOf(tab1, 'Fired alerts').filter({ hasText: 'QLFX' }).waitFor()
    await tab1.getByRole('button', { name: 'Delete NBLM Moves down 99% within the day' }).click()
    await tab1.getByRole('button', { name: 'Delete QLFX Above 0.01' }).click()
    for (const page of [tab1, tab2]) {
      await page.bringToFront()
      await until('no alerts left', async () => (await rowsOf(page, 'Pending alerts').count()) + (await rowsOf(page, 'Fired alerts').count()), (n) => n === 0)
      await page.getByText('No pending alerts.').waitFor()
      await page.getByText('No fired alerts.').waitFor()
    }
    await tab2.close()
    await tab1.bringToFront()
    await alice.page.setViewportSize({ width: 380, height: 800 })
    await create('GRDL', 'window-move', 'above', '2')
    await rowsOf(tab1, 'Pending alerts').filter({ hasText: 'Moves up 2% within 15 min' }).waitFor()
    await shot(tab1, 'alerts narrow')
    await alice.page.setViewportSize({ width: 1280, height: 800 })
  }))

  it('sets move alerts from the symbol panel, checked before sending, listed there and on the alerts page', (t) => people.step(t, async () => {
    for (const [person, symbol, scheme] of [[people.alice, 'NBLM', 'light'], [people.bob, 'PKTL', 'dark']] as const) {
      const page = person.page
      await page.bringToFront()
      await page.goto(`${people.server.url}/market/${symbol}`)
      const alerts = page.locator('section.detail').getByRole('region', { name: 'Price alerts' })
      const pending = alerts.getByRole('list', { name: `Pending alerts of ${symbol}` }).getByRole('listitem')
      await alerts.getByLabel('When it').selectOption('window-move')
      await alerts.getByText(`No alerts on ${symbol} yet. You get a notification when the price makes that move.`).waitFor()
      await alerts.getByText('Down', { exact: false }).click()
      await alerts.getByLabel('By %', { exact: true }).fill('3')
      await alerts.getByLabel('Within minutes', { exact: true }).fill('90')
      await alerts.getByRole('button', { name: 'Set alert' }).click()
      await alerts.getByText('Enter whole minutes from 1 to 60.').waitFor()
      assert.equal(await alerts.getByLabel('Within minutes', { exact: true }).getAttribute('aria-invalid'), 'true')
      assert.equal(await pending.count(), 0, 'nothing sent')
      await alerts.getByLabel('Within minutes', { exact: true }).fill('20')
      await alerts.getByRole('button', { name: 'Set alert' }).click()
      await pending.filter({ hasText: 'Moves down 3% within 20 min' }).waitFor()
      await alerts.getByLabel('When it').selectOption('day-move')
      await alerts.getByText('Up', { exact: false }).click()
      await alerts.getByLabel('By %', { exact: true }).fill('92,5')
      await alerts.getByRole('button', { name: 'Set alert' }).click()
      await pending.filter({ hasText: 'Moves up 92.5% within the day' }).waitFor()
      await shot(page, `symbol panel move alerts ${scheme}`)
      // A day move the day has already made would fire on the next trade: the form asks first.
      const dayPct = await until('a day change of at least 0.05%', async () => {
        const text = await page.locator('section.detail .headline-change').innerText()
        return Number(/\(([+\-−]?[\d.]+)%\)/.exec(text)?.[1]?.replace('−', '-') ?? 'NaN')
      }, (pct) => Math.abs(pct) >= 0.05)
      await alerts.getByRole('radio', { name: dayPct > 0 ? '▲ Up' : '▼ Down' }).check()
      await alerts.getByLabel('By %', { exact: true }).fill('0.01')
      await alerts.getByRole('button', { name: 'Set alert' }).click()
      await alerts.getByRole('alert').filter({ hasText: `already ${dayPct > 0 ? 'up' : 'down'} 0.01%` }).waitFor()
      assert.equal(await pending.count(), 2, 'nothing set before the second press')
      await alerts.getByRole('button', { name: 'Set anyway' }).click()
      await until('the alert set anyway, and fired at once', () => page.locator('section.detail').getByRole('list', { name: `Fired alerts of ${symbol}` })
        .getByText('within the day').count(), (count) => count === 1)
      // A crossing is still set from the same form, with its price field.
      await alerts.getByLabel('When it').selectOption('cross')
      await alerts.getByLabel('Alert price').waitFor()

      await page.goto(`${people.server.url}/market/alerts`)
      await rowsOf(page, 'Pending alerts').filter({ hasText: `${symbol}Moves down 3% within 20 min` }).waitFor()
      await rowsOf(page, 'Pending alerts').filter({ hasText: `${symbol}Moves up 92.5% within the day` }).waitFor()
    }
  }))
})
