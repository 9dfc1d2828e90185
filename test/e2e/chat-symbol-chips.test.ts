import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { recordSentFrames, RESULTS_DIR, sentCommands, until } from '../helpers/browser.ts'
import { peopleStep, startTwoPeople, stopTwoPeople, type Person } from '../helpers/e2e-people.ts'
import type { SpawnedServer } from '../helpers/spawn-server.ts'

const composer = (page: Page) => page.getByRole('textbox', { name: /^Message / })
const log = (page: Page) => page.getByRole('log')
const lastText = (page: Page) => log(page).locator('.message-text').last()
const chip = (page: Page, symbol: string) => lastText(page).locator(`a.symbol-chip[data-symbol="${symbol}"]`)

/** How many `ticker:subscribe` commands the page has sent so far. */
const subscribes = async (page: Page) =>
  sentCommands(await page.evaluate(() => (window as unknown as { hubbubSent: string[] }).hubbubSent))
    .filter((command) => command === 'ticker:subscribe').length

describe('$SYMBOL chips in chat, in the browser', () => {
  let browser: Browser | null = null
  let server: SpawnedServer | null = null
  let alice: Person
  let bob: Person

  before(async () => {
    const started = await startTwoPeople('/chat/general', recordSentFrames)
    if (started) ({ browser, server, alice, bob } = started)
  })
  after(() => stopTwoPeople(browser, server))

  const step = (t: TestContext, run: () => Promise<void>) => peopleStep(t, browser && server ? [alice, bob] : null, 'symbol chips', run)

  it('shows a listed symbol as a live chip with one subscription, an unknown one as text, and opens the chart', (t) => step(t, async () => {
    for (const who of [alice, bob]) await who.page.getByRole('heading', { level: 1, name: 'general' }).waitFor()
    const before = await subscribes(bob.page)
    await composer(alice.page).fill('watch $QLFX and $NOPE, also $PKTL (and $QLFX again)')
    await composer(alice.page).press('Enter')

    const qlfx = chip(bob.page, 'QLFX').first()
    await qlfx.locator('.symbol-chip-price').waitFor()
    assert.equal(await chip(bob.page, 'QLFX').count(), 2)
    await chip(bob.page, 'PKTL').locator('.symbol-chip-price').waitFor()
    assert.equal(await lastText(bob.page).locator('a.symbol-chip').count(), 3, 'three chips: $NOPE is not one')
    assert.match(await lastText(bob.page).textContent() ?? '', /and \$NOPE, also/)
    assert.match(await qlfx.getAttribute('aria-label') ?? '', /^QLFX [\d,]+\.\d\d, (up|down|unchanged) [\d.]+\s?%$/)
    assert.equal(await qlfx.getAttribute('href'), '/market/QLFX')

    const first = await qlfx.locator('.symbol-chip-price').textContent()
    await until('the chip\'s price to move with the ticks', () => qlfx.locator('.symbol-chip-price').textContent(), (price) => price !== first, 30_000)
    assert.equal(await subscribes(bob.page) - before, 1, 'three chips of two symbols make one ticker:subscribe')

    await alice.page.screenshot({ path: join(RESULTS_DIR, 'symbol-chips-light.png'), animations: 'disabled' })
    await bob.page.screenshot({ path: join(RESULTS_DIR, 'symbol-chips-dark.png'), animations: 'disabled' })

    await qlfx.click()
    await bob.page.waitForURL(/\/market\/QLFX$/)
    await bob.page.locator('section.detail').getByRole('heading', { name: 'QLFX' }).waitFor()
    await bob.page.locator('.chart-canvas canvas').first().waitFor()
  }))

  it('shares a symbol from the market to a room as a chip the other user sees', (t) => step(t, async () => {
    const share = bob.page.getByRole('region', { name: 'Share to a room' })
    await share.getByRole('combobox', { name: 'Room' }).selectOption({ label: '#general' })
    await share.getByRole('textbox', { name: 'Message (optional)' }).fill('worth a look')
    await share.getByRole('button', { name: 'Share' }).click()
    await share.getByRole('status').filter({ hasText: 'Shared to #general.' }).waitFor()
    await share.scrollIntoViewIfNeeded()
    await bob.page.screenshot({ path: join(RESULTS_DIR, 'symbol-chips-share-dark.png'), animations: 'disabled' })

    await chip(alice.page, 'QLFX').locator('.symbol-chip-price').waitFor()
    assert.match(await lastText(alice.page).textContent() ?? '', /worth a look$/)
  }))
})
