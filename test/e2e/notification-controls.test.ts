import assert from 'node:assert/strict'
import { join } from 'node:path'
import { before, describe, it, type TestContext } from 'node:test'
import type { Page } from 'playwright-core'
import type { Socket } from 'socket.io-client'
import { E2E_PASSWORD, RESULTS_DIR, until } from '../helpers/browser.ts'
import { browserSuite, type Person } from '../helpers/e2e-people.ts'
import { api, registerUser } from '../helpers/http.ts'
import { send } from '../helpers/sockets.ts'

const topBar = (page: Page) => page.getByRole('banner')
const bell = (page: Page) => topBar(page).getByRole('button', { name: /^Notifications/ })
const panel = (page: Page) => page.getByRole('dialog', { name: 'Notifications' })
const toasts = (page: Page) => page.getByRole('region', { name: 'New notifications' })
const unreadLabel = (page: Page) => bell(page).getAttribute('aria-label')

describe('notification preferences and inbox controls in the browser', () => {
  const suite = browserSuite('notification controls')
  let bob: Person
  let aliceChat: Socket
  let room: { id: string, name: string }
  let dm: { id: string }
  let ids = 0
  const say = async (roomId: string, text: string) => {
    const sent = await send(aliceChat, 'chat:send', { roomId, text, clientId: `e2e-controls-${++ids}` })
    assert.ok(sent.ok, JSON.stringify(sent))
  }
  const step = (t: TestContext, run: () => Promise<void>) => suite.step(t, bob ? [bob] : [], run)
  /** Bob's bell says this many unread (the server's count, pushed). */
  const unreadIs = (count: number) => until(`the bell at ${count} unread`, () => unreadLabel(bob.page), (label) => label === (count ? `Notifications, ${count} unread` : 'Notifications'))
  const openPanel = async () => {
    if (!await panel(bob.page).isVisible()) await bell(bob.page).click()
    await panel(bob.page).waitFor()
  }
  const closePanel = async () => {
    await bob.page.keyboard.press('Escape')
    await panel(bob.page).waitFor({ state: 'detached' })
  }
  const titles = () => panel(bob.page).locator('.notif-list > li .notif-title').allInnerTexts()

  before(async () => {
    if (!suite.ready) return
    const alice = await registerUser(suite.url, 'ux_alice', E2E_PASSWORD)
    const bobUser = await registerUser(suite.url, 'ux_bob', E2E_PASSWORD)
    room = (await api(suite.url, 'POST', '/api/rooms', { token: alice.token, body: { name: 'launch', visibility: 'public' } })).body.room
    dm = (await api(suite.url, 'POST', '/api/dms', { token: alice.token, body: { username: 'ux_bob' } })).body.room
    aliceChat = await suite.socketOf(alice.token, '/chat')
    assert.ok((await send(aliceChat, 'chat:join', { roomId: room.id })).ok)
    bob = await suite.signedIn('bob', bobUser, { colorScheme: 'dark' })
    await bob.page.goto(`${suite.url}/chat/${room.id}`)
    await bob.page.getByRole('heading', { name: 'launch' }).waitFor()
  })

  it('a room set to "Nothing" in its header creates no notification; a DM still does', (t) => step(t, async () => {
    const page = bob.page
    await page.getByRole('button', { name: 'Notifications: Mentions only' }).click()
    await page.getByRole('menuitemradio', { name: /Nothing/ }).click()
    await page.getByRole('button', { name: 'Notifications: Nothing' }).waitFor()
    await page.goto(`${suite.url}/market`)
    await topBar(page).getByRole('status').filter({ hasText: /^Connected$/ }).waitFor()
    await say(room.id, '@ux_bob the launch is at noon')
    await say(dm.id, 'did you see the launch room?')
    await toasts(page).getByText('New message from ux_alice').waitFor()
    await unreadIs(1)
    await openPanel()
    assert.deepEqual(await titles(), ['New message from ux_alice'], 'only the DM: the mention in a room at "Nothing" made none')
    await closePanel()
  }))

  it('under do not disturb a DM lands in the inbox without a toast', (t) => step(t, async () => {
    const page = bob.page
    await openPanel()
    await panel(page).getByRole('button', { name: 'Notification settings' }).click()
    await panel(page).getByLabel('Do not disturb', { exact: true }).selectOption('1h')
    await panel(page).getByRole('button', { name: 'Notification settings (do not disturb is on)' }).waitFor()
    await closePanel()
    await openPanel()
    assert.equal(await panel(page).getByLabel('Do not disturb', { exact: true }).count(), 0, 'the settings open on demand')
    await closePanel()
    const before = await toasts(page).locator('.toast').count()
    await say(dm.id, 'quiet one')
    await unreadIs(2)
    assert.equal(await toasts(page).getByText('quiet one').count(), 0, 'no toast under do not disturb')
    assert.equal(await toasts(page).locator('.toast').count(), before)
    await openPanel()
    await panel(page).getByText('quiet one').waitFor()
    await panel(page).getByRole('button', { name: 'Notification settings (do not disturb is on)' }).click()
    await panel(page).getByLabel('Do not disturb', { exact: true }).selectOption('off')
    await panel(page).getByRole('button', { name: 'Notification settings', exact: true }).waitFor()
    await closePanel()
  }))

  it('groups a burst into one entry that expands; filters; done with Undo; mark unread', (t) => step(t, async () => {
    const page = bob.page
    await page.goto(`${suite.url}/chat/${room.id}`)
    await page.getByRole('button', { name: 'Notifications: Nothing' }).click()
    await page.getByRole('menuitemradio', { name: /All messages/ }).click()
    await page.getByRole('button', { name: 'Notifications: All messages' }).waitFor()
    await page.goto(`${suite.url}/market`)
    await topBar(page).getByRole('status').filter({ hasText: /^Connected$/ }).waitFor()
    for (let i = 1; i <= 5; i++) await say(room.id, `update ${i} of 5`)
    await unreadIs(7)
    await openPanel()
    const burst = panel(page).getByRole('button', { name: /5 new messages from ux_alice in #launch/ })
    await burst.waitFor()
    assert.deepEqual(await titles(), ['5 new messages from ux_alice in #launch', '2 new messages from ux_alice'], 'the two DMs are a burst too')
    await burst.click()
    assert.equal(await burst.getAttribute('aria-expanded'), 'true')
    assert.equal(await panel(page).locator('.notif-burst-list > li').count(), 5)
    await page.screenshot({ path: join(RESULTS_DIR, 'notification-controls-dark.png'), animations: 'disabled' })
    await page.emulateMedia({ colorScheme: 'light' })
    await panel(page).getByRole('button', { name: 'Notification settings' }).click()
    await page.screenshot({ path: join(RESULTS_DIR, 'notification-controls-light.png'), animations: 'disabled' })
    await panel(page).getByRole('button', { name: 'Notification settings' }).click()
    await page.emulateMedia({ colorScheme: 'dark' })

    await panel(page).getByRole('button', { name: 'DMs', exact: true }).click()
    await until('the DM filter', titles, (seen) => seen.length === 1 && seen[0] === '2 new messages from ux_alice')
    const dms = panel(page).getByRole('listitem').filter({ has: page.getByRole('button', { name: /2 new messages/ }) })
    await dms.hover()
    await dms.getByRole('button', { name: 'Done' }).first().click()
    await panel(page).getByRole('status').filter({ hasText: '2 marked done' }).waitFor()
    await until('the done ones gone', titles, (seen) => seen.length === 0)
    await unreadIs(5)
    await panel(page).getByRole('button', { name: 'Undo' }).click()
    await until('the DMs back', titles, (seen) => seen.length === 1)
    await dms.getByRole('button', { name: /2 new messages/ }).click()
    const quiet = panel(page).locator('.notif-burst-list > li').filter({ hasText: 'quiet one' })
    await quiet.hover()
    await quiet.getByRole('button', { name: 'Mark unread' }).click()
    await unreadIs(6)
    await quiet.hover()
    await quiet.getByRole('button', { name: 'Mark read' }).click()
    await unreadIs(5)
    await panel(page).getByRole('button', { name: 'All', exact: true }).click()
    await burst.waitFor()
    await closePanel()
  }))

  it('a room muted for a while looks muted in the sidebar, its count without emphasis, and leaves the Chat tab\'s badge', (t) => step(t, async () => {
    const page = bob.page
    await page.goto(`${suite.url}/chat/${room.id}`)
    await page.getByRole('button', { name: 'Notifications: All messages' }).click()
    await page.getByRole('menuitem', { name: 'Mute for 1 hour' }).click()
    await page.getByRole('button', { name: 'Notifications: muted' }).waitFor()
    await page.goto(`${suite.url}/chat/${dm.id}`)
    await say(room.id, 'one more while muted')
    const link = page.getByRole('link', { name: /^launch, \d+ unread, muted$/ })
    await link.waitFor()
    assert.equal(await link.getAttribute('data-unread'), null, 'no unread emphasis')
    const chatTab = topBar(page).getByRole('link', { name: /^Chat/ })
    assert.equal(await chatTab.getAttribute('aria-label'), null, 'the muted room\'s unread messages do not count on the Chat tab')
    await page.screenshot({ path: join(RESULTS_DIR, 'notification-controls-muted-room.png'), animations: 'disabled' })
  }))
})
