import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import {
  browserSkipReason, colours, E2E_PASSWORD, recordSentFrames, RESULTS_DIR, saveFailureScreenshot, sentCommands, themeTokens, until, watchAppearances, watchProblems, type Scheme
} from '../helpers/browser.ts'
import { api, registerUser } from '../helpers/http.ts'
import { addSessionCookie, browserSuite } from '../helpers/e2e-people.ts'
import { send } from '../helpers/sockets.ts'

const PUBLISH_KEY = 'e2e-publish-key-0123456789abcdef'

type Registered = Awaited<ReturnType<typeof registerUser>>
interface Publish { title: string, body?: string, url?: string, kind?: string }

const topBar = (page: Page) => page.getByRole('banner')
const bell = (page: Page) => topBar(page).getByRole('button', { name: /^Notifications/ })
const bellWithLabel = (page: Page, label: string) => topBar(page).getByRole('button', { name: label, exact: true })
const panel = (page: Page) => page.getByRole('dialog', { name: 'Notifications' })
const toasts = (page: Page) => page.getByRole('region', { name: 'New notifications' })
/** One notification in the open panel (a link when it points somewhere, a button otherwise). */
const entry = (page: Page, text: string) => panel(page).getByRole('listitem').filter({ hasText: text })

async function waitForShell (page: Page, username: string) {
  await topBar(page).getByRole('button', { name: username }).waitFor()
  await topBar(page).getByRole('status').filter({ hasText: /^Connected$/ }).waitFor()
}

const waitForTitle = (page: Page, title: string) =>
  page.waitForFunction((expected) => document.title === expected, title).catch(async (error: Error) => {
    throw new Error(`expected the title ${JSON.stringify(title)}, saw ${JSON.stringify(await page.title())}: ${error.message}`)
  })

const isFocused = (page: Page, locator: ReturnType<Page['getByRole']>) =>
  locator.evaluate((element) => element === document.activeElement)
/**
 * Whether `locator` gets focus within 2 s: after a click elsewhere the bell takes focus back one
 * task later (once the browser has moved focus for that click), not by the time the panel is gone.
 */
const becomesFocused = (page: Page, locator: ReturnType<Page['getByRole']>) =>
  locator.evaluate((element) => new Promise<boolean>((resolve) => {
    const started = performance.now()
    const check = () => element === document.activeElement ? resolve(true) : performance.now() - started > 2000 ? resolve(false) : setTimeout(check, 20)
    check()
  }))

/**
 * The controls outside the toasts that a toast lies over (at the centre or near a corner of the
 * part of the control its scrolling containers show), each as `tag "name"`: what a toast may never do.
 */
const controlsUnderToasts = (page: Page) => page.evaluate(() => {
  const regions = Array.from(document.querySelectorAll('.toasts, .chat-toast-region'))
  if (regions.length === 0) return ['(no toast region)']
  const region = { contains: (node: Node | null) => regions.some((one) => one.contains(node)) }
  const covered: string[] = []
  for (const control of Array.from(document.querySelectorAll<HTMLElement>('button, a[href], input, textarea, select, [tabindex]:not([tabindex="-1"]), li'))) {
    if (region.contains(control)) continue
    // What is scrolled out of a container's view is hidden by the container, not covered.
    let { left, top, right, bottom } = control.getBoundingClientRect()
    for (let parent = control.parentElement; parent; parent = parent.parentElement) {
      if (getComputedStyle(parent).overflow === 'visible') continue
      const clip = parent.getBoundingClientRect()
      left = Math.max(left, clip.left)
      top = Math.max(top, clip.top)
      right = Math.min(right, clip.right)
      bottom = Math.min(bottom, clip.bottom)
    }
    const box = { left, top, right, bottom, width: right - left, height: bottom - top }
    if (box.width <= 0 || box.height <= 0) continue
    const inset = Math.min(3, box.width / 2, box.height / 2)
    const points = [[box.left + box.width / 2, box.top + box.height / 2], [box.left + inset, box.top + inset], [box.right - inset, box.top + inset],
      [box.left + inset, box.bottom - inset], [box.right - inset, box.bottom - inset]] as const
    if (points.some(([x, y]) => region.contains(document.elementFromPoint(x, y)))) {
      covered.push(`${control.tagName.toLowerCase()} "${(control.getAttribute('aria-label') ?? control.textContent ?? '').trim().slice(0, 40)}"`)
    }
  }
  return covered
})

describe('notifications in the browser', () => {
  const suite = browserSuite('notifications', { PUBLISH_KEYS: PUBLISH_KEY })

  const publish = async (usernames: string[], notification: Publish) => {
    const res = await api(suite.url, 'POST', '/api/notifications', {
      headers: { authorization: `Bearer ${PUBLISH_KEY}` },
      body: { to: { usernames }, ...notification }
    })
    assert.equal(res.status, 202, `publish answered ${res.status} ${JSON.stringify(res.body)}`)
  }

  /** A socket.io-client of a user on a namespace (the other side of the conversation). */
  const socketOf = (who: Registered, ns: '/chat' | '/notifications') => suite.socketOf(who.token, ns)

  /** A fresh browser context; on failure a screenshot of each page lands in test-results/. */
  async function withContext (t: TestContext, options: BrowserContextOptions, run: (context: BrowserContext, url: string) => Promise<void>) {
    if (!suite.ready) return t.skip(browserSkipReason)
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, ...options })
    context.setDefaultTimeout(15_000)
    const problems: string[] = []
    context.on('page', (page) => watchProblems(page, problems))
    try {
      await run(context, suite.url)
      assert.deepEqual(problems, [], 'the browser reported no errors')
    } catch (error) {
      await Promise.all(context.pages().map((page, i) => saveFailureScreenshot(page, t.name, String(i))))
      throw error
    } finally {
      await context.close()
    }
  }

  /** A user registered over HTTP whose session cookie the context carries: signed in on load. */
  async function signedIn (context: BrowserContext, url: string, username: string) {
    const user = await registerUser(url, username, E2E_PASSWORD)
    await addSessionCookie(context, url, user)
    return user
  }

  async function openApp (context: BrowserContext, url: string, path: string, username: string) {
    const page = await context.newPage()
    await page.goto(url + path)
    await waitForShell(page, username)
    return page
  }

  it('shows a published notification as a toast and a badge, lists it and follows it', (t) => withContext(t, { colorScheme: 'light' }, async (context, url) => {
    await registerUser(url, 'nora', E2E_PASSWORD)
    const page = await context.newPage()
    await page.goto(`${url}/chat`)
    await page.getByLabel('Username').fill('nora')
    await page.getByLabel('Password', { exact: true }).fill(E2E_PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await waitForShell(page, 'nora')
    await bellWithLabel(page, 'Notifications').waitFor()
    await waitForTitle(page, 'Chat · Hubbub')

    await publish(['nora'], { title: 'Deploy finished', body: 'Version 2.4 is live on every node.', url: '/chat/general' })
    await toasts(page).getByText('Deploy finished').waitFor()
    await bellWithLabel(page, 'Notifications, 1 unread').waitFor()
    assert.equal(await bell(page).innerText(), '1', 'the badge shows the count')
    await waitForTitle(page, '(1) Chat · Hubbub')

    await publish(['nora'], { kind: 'price-alert', title: 'ACME rose above 120.00', body: 'ACME is at 120.35 (+2.1% today).', url: '/market' })
    await toasts(page).getByText('ACME rose above 120.00').waitFor()
    await bellWithLabel(page, 'Notifications, 2 unread').waitFor()
    await page.screenshot({ path: join(RESULTS_DIR, 'notifications-toast.png'), animations: 'disabled' })

    // A toast goes with its dismiss button (and by itself after a few seconds, not waited for here).
    const acmeToast = toasts(page).locator('.toast').filter({ hasText: 'ACME rose above 120.00' })
    await acmeToast.getByRole('button', { name: 'Dismiss' }).click()
    await acmeToast.waitFor({ state: 'detached' })

    await bell(page).click()
    await panel(page).waitFor()
    const links = panel(page).getByRole('link')
    assert.deepEqual(await links.evaluateAll((elements) => elements.map((element) => element.querySelector('.notif-title')?.textContent)),
      ['ACME rose above 120.00', 'Deploy finished'], 'newest first')
    assert.equal(await panel(page).evaluate((element) => element.contains(document.activeElement)), true, 'focus moves into the panel')

    // Escape closes it and gives focus back to the bell; so does a click elsewhere.
    await page.keyboard.press('Escape')
    await panel(page).waitFor({ state: 'detached' })
    assert.equal(await isFocused(page, bell(page)), true, 'focus returns to the bell after Escape')
    await bell(page).click()
    await panel(page).waitFor()
    await page.getByRole('main').click({ position: { x: 600, y: 400 } })
    await panel(page).waitFor({ state: 'detached' })
    assert.equal(await becomesFocused(page, bell(page)), true, 'focus returns to the bell after a click elsewhere')

    await bell(page).click()
    await panel(page).getByRole('link', { name: /Deploy finished/ }).click()
    await panel(page).waitFor({ state: 'detached' })
    assert.equal(new URL(page.url()).pathname, '/chat/general')
    await bellWithLabel(page, 'Notifications, 1 unread').waitFor()
    await waitForTitle(page, '(1) #general · Hubbub')

    // Read state survives a reload (it is the server's).
    await page.reload()
    await waitForShell(page, 'nora')
    await bellWithLabel(page, 'Notifications, 1 unread').waitFor()
    await bell(page).click()
    const deploy = panel(page).getByRole('link', { name: /Deploy finished/ })
    await deploy.waitFor()
    assert.doesNotMatch(await deploy.innerText(), /Unread/, 'the followed one is read')
    assert.match(await panel(page).getByRole('link', { name: /ACME/ }).textContent() ?? '', /^Unread\./, 'the other is still unread')
  }))

  it('lists a mention from another user and opens the room at that message', (t) => withContext(t, { colorScheme: 'light' }, async (context, url) => {
    const mia = await signedIn(context, url, 'mia')
    const omar = await registerUser(url, 'omar', E2E_PASSWORD)
    // A mention notifies members of the room: Mia joins #general first (as opening it would).
    const joined = await send(await socketOf(mia, '/chat'), 'chat:join', { roomId: 'general' })
    assert.ok(joined.ok, JSON.stringify(joined))

    const page = await openApp(context, url, '/market', 'mia')
    await bellWithLabel(page, 'Notifications').waitFor()
    const sent = await send(await socketOf(omar, '/chat'), 'chat:send', { roomId: 'general', text: 'Morning @mia, the numbers are in.', clientId: `e2e-mention-${process.pid}` })
    assert.ok(sent.ok, JSON.stringify(sent))
    const seq = sent.data.message.seq

    await toasts(page).getByText('omar mentioned you in #general').waitFor()
    await bellWithLabel(page, 'Notifications, 1 unread').waitFor()
    await waitForTitle(page, '(1) Market · Hubbub')

    await bell(page).click()
    const mention = panel(page).getByRole('link', { name: /omar mentioned you in #general/ })
    await mention.waitFor()
    assert.match(await mention.innerText(), /Morning @mia, the numbers are in\./, 'the message is shown as text')
    assert.equal(await mention.getAttribute('href'), `/chat/general?seq=${seq}`)
    await mention.click()
    await page.waitForURL((address) => address.pathname === '/chat/general' && address.search === `?seq=${seq}`)
    await page.getByRole('heading', { name: 'general' }).waitFor()
    await bellWithLabel(page, 'Notifications').waitFor()
    await waitForTitle(page, '#general · Hubbub')
  }))

  it('brings a direct message to a user on another page, and none while they read that conversation', (t) => withContext(t, { colorScheme: 'light' }, async (context, url) => {
    const dee = await signedIn(context, url, 'dee')
    const cal = await registerUser(url, 'cal', E2E_PASSWORD)
    const dm = (await api(url, 'POST', '/api/dms', { token: cal.token, body: { username: 'dee' } })).body.room
    const calChat = await socketOf(cal, '/chat')
    const say = async (text: string) => {
      const sent = await send(calChat, 'chat:send', { roomId: dm.id, text, clientId: `e2e-dm-${process.pid}-${text.length}` })
      assert.ok(sent.ok, JSON.stringify(sent))
    }

    const page = await openApp(context, url, '/market', 'dee')
    await bellWithLabel(page, 'Notifications').waitFor()
    await say('Are you free at noon?')
    const dmToast = toasts(page).getByRole('link', { name: /New message from cal/ })
    // The pointer on the toast holds it: by itself it goes after 6 s (TOAST_MS), which the three
    // checks below can take on a loaded machine before the click that follows them.
    await dmToast.hover()
    await bellWithLabel(page, 'Notifications, 1 unread').waitFor()
    await waitForTitle(page, '(1) Market · Hubbub')
    await topBar(page).getByRole('link', { name: 'Chat, 1 unread', exact: true }).waitFor()

    await dmToast.click()
    await page.waitForURL((address) => address.pathname === `/chat/${dm.id}`)
    await page.getByText('Are you free at noon?').waitFor()
    await topBar(page).getByRole('link', { name: 'Chat', exact: true }).waitFor()

    // Read here, in a visible tab: the message shows, and nothing else asks for attention.
    await say('Great, see you then.')
    await page.getByText('Great, see you then.').waitFor()
    // A published notification is a barrier: a DM notification would have arrived before it.
    await publish(['dee'], { title: 'Barrier' })
    await toasts(page).getByText('Barrier').waitFor()
    assert.deepEqual(await toasts(page).locator('.toast-title').allInnerTexts(), ['Barrier'], 'no toast for the conversation on screen')
    const listed = await api(url, 'GET', '/api/notifications', { token: dee.token })
    assert.deepEqual(listed.body.notifications.map((n: { title: string }) => n.title), ['Barrier', 'New message from cal'], 'one DM notification, for the message sent while away')
  }))

  it('places toasts where they cover no controls, in a room and beside a symbol\'s alerts', (t) => withContext(t, { colorScheme: 'light' }, async (context, url) => {
    const tia = await signedIn(context, url, 'tia')
    const ticker = await suite.socketOf(tia.token, '/ticker')
    const alert = await send(ticker, 'ticker:alert-create', { symbol: 'QLFX', direction: 'above', price: 999_999 })
    assert.ok(alert.ok, JSON.stringify(alert))

    const page = await openApp(context, url, '/chat/general', 'tia')
    // A chat notice (a delete that failed offline) is a toast too.
    const box = page.getByRole('textbox', { name: /message/i })
    await box.fill('Soon to be deleted')
    await box.press('Enter')
    const mine = page.getByRole('log').getByRole('article').filter({ hasText: 'Soon to be deleted' })
    await mine.waitFor()
    await page.getByRole('log').locator('.message[data-state]').waitFor({ state: 'detached' })
    await context.setOffline(true)
    await topBar(page).getByRole('status').filter({ hasText: /^Offline$/ }).waitFor()
    await mine.getByRole('button', { name: 'Message actions' }).click()
    await page.getByRole('menuitem', { name: 'Delete' }).click()
    await page.getByRole('dialog', { name: 'Delete this message?' }).getByRole('button', { name: 'Delete' }).click()
    await page.locator('.chat-toast').filter({ hasText: /Couldn’t delete/ }).waitFor()
    await page.getByRole('dialog', { name: 'Delete this message?' }).getByRole('button', { name: 'Cancel' }).click()
    assert.deepEqual(await controlsUnderToasts(page), [], 'a chat notice covers no control')
    await context.setOffline(false)
    await topBar(page).getByRole('status').filter({ hasText: /^Connected$/ }).waitFor()

    await box.fill('Almost ready to send')
    for (const title of ['Build 1 passed', 'Build 2 passed', 'Build 3 passed']) await publish(['tia'], { title, body: 'All 1,204 tests passed on every node.' })
    await toasts(page).getByText('Build 3 passed').waitFor()
    assert.deepEqual(await controlsUnderToasts(page), [], 'in a room: no control under a toast')
    await page.screenshot({ path: join(RESULTS_DIR, 'toasts-chat.png'), animations: 'disabled' })

    await page.goto(`${url}/market/QLFX`)
    await waitForShell(page, 'tia')
    await page.getByRole('list', { name: 'Pending alerts of QLFX' }).waitFor()
    await publish(['tia'], { title: 'Build 4 passed', body: 'All 1,204 tests passed on every node.' })
    await toasts(page).getByText('Build 4 passed').waitFor()
    assert.deepEqual(await controlsUnderToasts(page), [], 'beside a symbol: no control under a toast')
    await page.screenshot({ path: join(RESULTS_DIR, 'toasts-market.png'), animations: 'disabled' })
  }))

  it('keeps two tabs of one user in step', (t) => withContext(t, { colorScheme: 'light' }, async (context, url) => {
    await signedIn(context, url, 'tess')
    const [one, two] = [await openApp(context, url, '/chat', 'tess'), await openApp(context, url, '/market', 'tess')]
    for (const title of ['Backup complete', 'Invoice ready', 'Weekly digest']) await publish(['tess'], { title })
    await bellWithLabel(one, 'Notifications, 3 unread').waitFor()
    await bellWithLabel(two, 'Notifications, 3 unread').waitFor()

    // Tab two has its panel open while tab one reads: its list follows.
    await bell(two).click()
    await entry(two, 'Weekly digest').waitFor()
    await until('three unread dots in tab two', () => panel(two).locator('.notif-dot').count(), (dots) => dots === 3)

    // The user switches to tab one (a background tab gets no animation frames to settle in).
    await one.bringToFront()
    await bell(one).click()
    await entry(one, 'Invoice ready').click()
    await bellWithLabel(two, 'Notifications, 2 unread').waitFor()
    await panel(two).locator('.notif-dot').nth(2).waitFor({ state: 'detached' })
    assert.doesNotMatch(await entry(two, 'Invoice ready').innerText(), /Unread/, 'read in the other tab')

    await bell(one).click()
    await panel(one).getByRole('button', { name: 'Mark all read' }).click()
    await bellWithLabel(one, 'Notifications').waitFor()
    await bellWithLabel(two, 'Notifications').waitFor()
    await panel(two).locator('.notif-dot').first().waitFor({ state: 'detached' })
    await waitForTitle(two, 'Market · Hubbub')
  }))

  it('loads older notifications as the panel scrolls', (t) => withContext(t, { colorScheme: 'light' }, async (context, url) => {
    await signedIn(context, url, 'sam')
    // What the page asks the server, in order (to know what it did not ask before the scroll).
    await context.addInitScript(recordSentFrames)
    // One more than a page (30), published before the page opens: only the first page loads.
    const total = 33
    for (let i = 1; i <= total; i++) await publish(['sam'], { title: `Report ${i} is ready` })
    const page = await openApp(context, url, '/chat', 'sam')
    await bellWithLabel(page, `Notifications, ${total} unread`).waitFor()
    await bell(page).click()
    await entry(page, `Report ${total} is ready`).waitFor()
    // Scrolling to the end brings the sentinel into view, which loads the next page. What is
    // listed, and what was asked for, are read in the same task as the scroll (before its effects).
    const atScroll = await panel(page).locator('.notif-panel-body').evaluate((element) => {
      element.scrollTo(0, element.scrollHeight)
      return { listed: element.querySelectorAll('.notif-title').length, sent: [...(window as unknown as { hubbubSent: string[] }).hubbubSent] }
    })
    assert.equal(atScroll.listed, 30, 'one page at first')
    const lists = sentCommands(atScroll.sent).filter((command) => command.startsWith('notification:list'))
    assert.ok(lists.length > 0 && !lists.includes('notification:list (before)'), `the first page asked for, no older page before the scroll; sent ${lists.join(', ')}`)
    await entry(page, 'Report 1 is ready').waitFor()
    const titles = await panel(page).locator('.notif-title').allTextContents()
    assert.equal(titles.length, total, `all ${total} listed once, saw ${titles.length}`)
    assert.deepEqual(titles, Array.from({ length: total }, (_, i) => `Report ${total - i} is ready`))
  }))

  it('asks for desktop notifications only from the menu, and uses them while the tab is hidden', (t) => withContext(t, {}, async (context, url) => {
    // Record what the page does with the Notification API instead of showing anything.
    await context.addInitScript(() => {
      const record = window as unknown as { asked: number, shown: Array<{ title: string, body?: string, tag?: string, notification: EventTarget }> }
      record.asked = 0
      record.shown = []
      let permission: NotificationPermission = 'default'
      class Recorded extends EventTarget {
        static get permission () { return permission }
        static async requestPermission () {
          record.asked++
          permission = 'granted'
          return permission
        }

        constructor (title: string, options: NotificationOptions = {}) {
          super()
          record.shown.push({ title, body: options.body, tag: options.tag, notification: this })
        }

        close () {}
      }
      Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true })
    })
    await signedIn(context, url, 'dora')
    const page = await openApp(context, url, '/chat', 'dora')
    const asked = () => page.evaluate(() => (window as unknown as { asked: number }).asked)
    assert.equal(await asked(), 0, 'nothing is asked on load')

    await topBar(page).getByRole('button', { name: 'dora' }).click()
    await page.getByRole('menuitem', { name: 'Enable desktop notifications' }).click()
    await page.getByRole('menuitemcheckbox', { name: /Desktop notifications/ }).waitFor()
    assert.equal(await page.getByRole('menuitemcheckbox', { name: /Desktop notifications/ }).getAttribute('aria-checked'), 'true')
    assert.equal(await asked(), 1, 'asked once, from the click')
    await page.screenshot({ path: join(RESULTS_DIR, 'notifications-menu-enabled.png'), animations: 'disabled' })
    await page.keyboard.press('Escape')

    // The tab goes to the background: a new notification becomes a desktop notification.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
      document.dispatchEvent(new Event('visibilitychange'))
    })
    const toastsSeen = await watchAppearances(page, '.toast')
    await publish(['dora'], { kind: 'invite', title: 'lee invited you to #design', body: 'Mockups and reviews', url: '/chat/design' })
    await bellWithLabel(page, 'Notifications, 1 unread').waitFor()
    const shown = await page.evaluate(() => (window as unknown as { shown: Array<{ title: string, body: string, tag: string }> }).shown.map(({ title, body, tag }) => ({ title, body, hasTag: Boolean(tag) })))
    assert.deepEqual(shown, [{ title: 'lee invited you to #design', body: 'Mockups and reviews', hasTag: true }])
    // The desktop notification is the answer to the same push a toast would be: none came with it.
    assert.deepEqual(await toastsSeen(), [], 'no toast while a desktop notification was shown')

    // Clicking it brings the user to the room and marks it read.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' })
      const { shown } = window as unknown as { shown: Array<{ notification: EventTarget }> }
      shown[0]!.notification.dispatchEvent(new Event('click'))
    })
    await page.waitForURL((address) => address.pathname === '/chat/design')
    await bellWithLabel(page, 'Notifications').waitFor()
  }))

  it('shows the blocked state when the browser refuses', (t) => withContext(t, {}, async (context, url) => {
    await context.addInitScript(() => {
      class Refused extends EventTarget {
        static get permission () { return 'denied' }
        static async requestPermission () { return 'denied' }
      }
      Object.defineProperty(window, 'Notification', { value: Refused, configurable: true })
    })
    await signedIn(context, url, 'bea')
    const page = await openApp(context, url, '/chat', 'bea')
    await topBar(page).getByRole('button', { name: 'bea' }).click()
    const item = page.getByRole('menuitem', { name: /Desktop notifications/ })
    await item.getByText('Blocked by the browser').waitFor()
    assert.equal(await item.getAttribute('aria-disabled'), 'true')
    await page.screenshot({ path: join(RESULTS_DIR, 'notifications-menu-blocked.png'), animations: 'disabled' })
  }))

  it('looks right in light and dark, and on a narrow screen', (t) => withContext(t, { colorScheme: 'light' }, async (context, url) => {
    await signedIn(context, url, 'dana')
    const page = await openApp(context, url, '/chat', 'dana')
    const samples: Publish[] = [
      { kind: 'system', title: 'Scheduled maintenance tonight', body: 'Hubbub will be read-only from 02:00 to 02:20 UTC.' },
      { kind: 'invite', title: 'lee invited you to #design', body: 'Mockups, reviews and the occasional cat picture', url: '/chat/design' },
      { kind: 'dm', title: 'New message from omar', body: 'Can you look at the Q3 numbers before the call?', url: '/chat/general' },
      { kind: 'system', title: 'Status page: all systems operational', body: 'The incident of this morning is resolved.', url: 'https://status.example.com/incidents/42' },
      { kind: 'price-alert', title: 'ACME fell below 95.00', body: 'ACME is at 94.80 (−3.2% today).', url: '/market' },
      { kind: 'mention', title: 'nora mentioned you in #general', body: '@dana the deploy is done, want to check the dashboards? <b>not bold</b>', url: '/chat/general?seq=12' }
    ]
    for (const sample of samples) await publish(['dana'], sample)
    await bellWithLabel(page, `Notifications, ${samples.length} unread`).waitFor()
    await toasts(page).getByText('nora mentioned you in #general').waitFor()
    // Opening the panel takes the toasts away (it lists the same, and they would cover it).
    await bell(page).click()
    await toasts(page).locator('.toast').first().waitFor({ state: 'detached' })
    // Read two, so both states show.
    await entry(page, 'Scheduled maintenance').click()
    await bell(page).click()
    await entry(page, 'New message from omar').click()
    await bellWithLabel(page, `Notifications, ${samples.length - 2} unread`).waitFor()

    await bell(page).click()
    const mention = panel(page).getByRole('link', { name: /nora mentioned you/ })
    await mention.waitFor()
    assert.match(await mention.innerText(), /<b>not bold<\/b>/, 'markup in a body is shown as text')
    const external = panel(page).getByRole('link', { name: /Status page/ })
    assert.equal(await external.getAttribute('target'), '_blank')
    assert.equal(await external.getAttribute('rel'), 'noopener noreferrer')
    await page.screenshot({ path: join(RESULTS_DIR, 'notifications-panel.png'), animations: 'disabled' })

    // Each scheme in its theme's own colours: the page, and the panel raised above it.
    const theme = await themeTokens(page, ['--bg', '--surface-raised', '--text'])
    const worn = async () => ({ page: await colours(page.locator('body')), panel: (await colours(panel(page))).background })
    const themed = (scheme: Scheme) => ({ page: { background: theme[scheme]['--bg'], color: theme[scheme]['--text'] }, panel: theme[scheme]['--surface-raised'] })
    assert.deepEqual(await worn(), themed('light'), 'the light theme\'s colours')
    await page.emulateMedia({ colorScheme: 'dark' })
    assert.deepEqual(await worn(), themed('dark'), 'the dark theme\'s colours')
    await page.screenshot({ path: join(RESULTS_DIR, 'notifications-dark.png'), animations: 'disabled' })

    await page.setViewportSize({ width: 360, height: 740 })
    await panel(page).waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.equal(overflow, 0, 'the open panel fits a 360 px screen')
    await page.screenshot({ path: join(RESULTS_DIR, 'notifications-360.png'), animations: 'disabled' })
  }))

  it('shows an empty panel with a friendly note', (t) => withContext(t, { colorScheme: 'light' }, async (context, url) => {
    await signedIn(context, url, 'newbie')
    const page = await openApp(context, url, '/chat', 'newbie')
    await bell(page).click()
    await panel(page).getByText('You’re all caught up').waitFor()
    assert.equal(await panel(page).getByRole('button', { name: 'Mark all read' }).getAttribute('aria-disabled'), 'true')
  }))
})
