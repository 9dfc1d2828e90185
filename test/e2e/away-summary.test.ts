import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { E2E_PASSWORD, RESULTS_DIR, until } from '../helpers/browser.ts'
import { browserSuite, type Person } from '../helpers/e2e-people.ts'
import { api, registerUser } from '../helpers/http.ts'
import { send } from '../helpers/sockets.ts'

const ELEVEN_MINUTES = 11 * 60_000
const summary = (page: Page) => page.getByRole('dialog', { name: 'While you were away' })
const unreadRooms = (page: Page) => summary(page).getByRole('region', { name: 'Unread rooms' })

describe('while you were away, in the browser', () => {
  const suite = browserSuite('away summary')
  const people: Person[] = []

  it('shows what happened after 11 minutes away; a room opens at its first unread, Escape and Dismiss close it', (t) => suite.step(t, people, async () => {
    const url = suite.url
    const [alice, bob] = await Promise.all([registerUser(url, 'away_alice', E2E_PASSWORD), registerUser(url, 'away_bob', E2E_PASSWORD)])
    const room = (await api(url, 'POST', '/api/rooms', { token: alice.token, body: { name: 'away-news', visibility: 'public' } })).body.room
    const direct = (await api(url, 'POST', '/api/dms', { token: alice.token, body: { username: 'away_bob' } })).body.room
    const [aliceChat, bobChat, bobInbox, bobTicker] = await Promise.all([
      suite.socketOf(alice.token, '/chat'), suite.socketOf(bob.token, '/chat'), suite.socketOf(bob.token, '/notifications'), suite.socketOf(bob.token, '/ticker')
    ])
    assert.ok((await send(bobChat, 'chat:join', { roomId: room.id })).ok)
    assert.ok((await send(bobTicker, 'ticker:watchlist-create', { name: 'Mine', symbols: ['QLFX', 'NBLM'] })).ok)
    bobChat.close()

    // Bob is away (no tab); Alice talks, mentions him and writes to him directly.
    let n = 0
    const say = async (roomId: string, text: string) => {
      const sent = await send(aliceChat, 'chat:send', { roomId, text, clientId: `away-e2e-${++n}` })
      assert.ok(sent.ok, JSON.stringify(sent))
      return sent.data.message
    }
    const notified = new Promise<void>((resolve) => {
      let seen = 0
      bobInbox.on('notification:new', () => { if (++seen === 2) resolve() })
    })
    const first = await say(room.id, 'The release moved to Thursday')
    await say(room.id, '@away_bob can you check the notes?')
    await say(direct.id, 'Lunch tomorrow?')
    await notified

    // This browser last saw Bob 11 minutes ago (set before the app's first script runs).
    const bobInBrowser = await suite.signedIn('bob', bob, { colorScheme: 'light' }, (context) => context.addInitScript(({ key, at, origin }) => {
      if (location.origin === origin && !sessionStorage.getItem('away-test-seeded')) {
        sessionStorage.setItem('away-test-seeded', '1')
        localStorage.setItem(key, String(at))
      }
    }, { key: `hubbub:last-seen:${bob.user.id}`, at: Date.now() - ELEVEN_MINUTES, origin: new URL(url).origin }))
    people.push(bobInBrowser)
    const { page } = bobInBrowser
    await page.goto(`${url}/market`)
    const dialog = summary(page)
    await dialog.waitFor()
    await dialog.getByText(/You were away for 11 minutes/).waitFor()
    const roomLink = unreadRooms(page).getByRole('link', { name: /#away-news/ })
    assert.match(await roomLink.innerText(), /2 unread[\s\S]*away_alice: The release moved to Thursday/)
    assert.equal(await roomLink.getAttribute('href'), `/chat/${room.id}?seq=${first.seq}`)
    await unreadRooms(page).getByRole('link', { name: /@away_alice/ }).filter({ hasText: 'Lunch tomorrow?' }).waitFor()
    const mentions = dialog.getByRole('region', { name: 'Mentions and direct messages' })
    assert.equal(await mentions.getByRole('listitem').count(), 2, 'the mention and the DM')
    await mentions.getByText('can you check the notes?').waitFor()
    const movers = dialog.getByRole('region', { name: /biggest moves/ })
    assert.deepEqual((await movers.locator('.away-symbol').allInnerTexts()).sort(), ['NBLM', 'QLFX'])
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Dismiss', 'focus starts on Dismiss')
    // The styles arrive with the chunk of the view; the pictures are of the styled page.
    await page.waitForFunction(() => document.querySelector('.away-body') !== null && getComputedStyle(document.querySelector('.away-body')!).display === 'flex')
    await page.waitForLoadState('networkidle')
    await page.screenshot({ path: join(RESULTS_DIR, 'away-summary-light.png'), animations: 'disabled' })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: join(RESULTS_DIR, 'away-summary-dark.png'), animations: 'disabled' })
    await page.setViewportSize({ width: 390, height: 760 })
    await page.screenshot({ path: join(RESULTS_DIR, 'away-summary-narrow.png'), animations: 'disabled' })
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.emulateMedia({ colorScheme: 'light' })

    // It stays live while open: a new mention and an alert that fires show in it, the time away unchanged.
    await say(room.id, '@away_bob and the slides too')
    await until('the new mention in the open summary', () => mentions.getByRole('listitem').count(), (count) => count === 3)
    await mentions.getByText('and the slides too').waitFor()
    assert.ok((await send(bobTicker, 'ticker:alert-create', { symbol: 'QLFX', direction: 'above', price: 0.01 })).ok)
    await dialog.getByRole('region', { name: 'Alerts that fired' }).getByText('Above 0.01').waitFor()
    await dialog.getByRole('status').filter({ hasText: '2 new since this opened' }).waitFor()
    await dialog.getByText(/You were away for 11 minutes/).waitFor()
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Dismiss', 'focus stays on Dismiss')
    await page.screenshot({ path: join(RESULTS_DIR, 'away-summary-live-light.png'), animations: 'disabled' })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: join(RESULTS_DIR, 'away-summary-live-dark.png'), animations: 'disabled' })
    await page.emulateMedia({ colorScheme: 'light' })

    // One key dismisses it.
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })

    // Away again (the tab hidden for 11 minutes, as this browser remembers): the button dismisses it.
    const comeBack = () => page.evaluate(({ key, away }) => {
      localStorage.setItem(key, String(Date.now() - away))
      document.dispatchEvent(new Event('visibilitychange'))
    }, { key: `hubbub:last-seen:${bob.user.id}`, away: ELEVEN_MINUTES })
    await comeBack()
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Dismiss' }).click()
    await dialog.waitFor({ state: 'detached' })

    // And once more: one click on the room opens it at its first unread message.
    await comeBack()
    await dialog.waitFor()
    await unreadRooms(page).getByRole('link', { name: /#away-news/ }).click()
    await dialog.waitFor({ state: 'detached' })
    await page.waitForURL(`${url}/chat/${room.id}?seq=${first.seq}`)
    await page.getByRole('main').getByText('The release moved to Thursday').waitFor()
  }))
})
