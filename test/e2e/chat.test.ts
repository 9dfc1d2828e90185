import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import type { Browser, Locator, Page } from 'playwright-core'
import { composer, connected, log, messageText, messageWith, openRoom, send, sidebar, textIs, topBar } from '../helpers/e2e-chat.ts'
import { E2E_PASSWORD, recordSentFrames, RESULTS_DIR, sentCommands, watchAppearances } from '../helpers/browser.ts'
import { peopleStep, signUpInBrowser, startTwoPeople, stopTwoPeople, watchPage, type Person } from '../helpers/e2e-people.ts'
import { api, registerUser } from '../helpers/http.ts'
import { connect, send as command } from '../helpers/sockets.ts'
import type { SpawnedServer } from '../helpers/spawn-server.ts'

const XSS = '<img src=x onerror=alert(1)>'

describe('chat in the browser', () => {
  let browser: Browser | null = null
  let server: SpawnedServer | null = null
  let alice: Person
  let bob: Person

  before(async () => {
    // What each page asks the server, in order (to know what it did not ask before a given moment).
    const started = await startTwoPeople('/chat', recordSentFrames)
    if (started) ({ browser, server, alice, bob } = started)
  })
  after(() => stopTwoPeople(browser, server))

  /** A public room someone else created, and how they post in it over a plain socket. */
  async function roomOfSomeoneElse (name: string, username?: string) {
    const owner = await registerUser(server!.url, username)
    const created = await api(server!.url, 'POST', '/api/rooms', { token: owner.token, body: { name, visibility: 'public' } })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const roomId = created.body.room.id as string
    const socket = await connect(server!.url, '/chat', { token: owner.token })
    const post = async (text: string, clientId: string) => {
      // The server limits bursts; a limited send is retried with the same clientId.
      for (;;) {
        const result = await command(socket, 'chat:send', { roomId, text, clientId })
        if (result.ok) return
        assert.equal(result.error.code, 'rate_limited', JSON.stringify(result))
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
    return { roomId, post, close: () => { socket.close() } }
  }

  /** Skips without Chromium; on failure, screenshots of both people land in test-results/. */
  const step = (t: TestContext, run: () => Promise<void>) => peopleStep(t, browser && server ? [alice, bob] : null, 'chat', run)

  it('shows each person the other\'s presence, typing and messages live, both ways', (t) => step(t, async () => {
    await openRoom(alice.page, 'general')
    await bob.page.goto(`${server!.url}/chat/general`)
    await connected(bob.page)
    await bob.page.getByRole('heading', { level: 1, name: 'general' }).waitFor()

    // Presence: the members panel lists bob online for alice.
    await alice.page.getByRole('button', { name: /^Members, \d+ online$/ }).click()
    const members = alice.page.getByRole('complementary', { name: 'Members' })
    await members.locator('.member[data-online]').filter({ hasText: 'bob' }).waitFor()
    await members.locator('.member[data-online]').filter({ hasText: 'alice' }).waitFor()
    // And the other way: bob sees alice online, then away while her page is gone, then back.
    await bob.page.getByRole('button', { name: /^Members, \d+ online$/ }).click()
    const bobsMembers = bob.page.getByRole('complementary', { name: 'Members' })
    const aliceFor = (online: boolean) => bobsMembers.locator(online ? '.member[data-online]' : '.member:not([data-online])').filter({ hasText: 'alice' })
    await aliceFor(true).waitFor()
    await alice.page.goto('about:blank')
    await aliceFor(false).waitFor()
    await alice.page.goto(`${server!.url}/chat/general`)
    await connected(alice.page)
    await aliceFor(true).waitFor()
    await bobsMembers.getByRole('button', { name: 'Close members' }).click()

    // Typing, each way.
    await composer(bob.page).pressSequentially('hel')
    await alice.page.getByText('bob is typing…').waitFor()
    await composer(alice.page).pressSequentially('hm')
    await bob.page.getByText('alice is typing…').waitFor()
    await composer(alice.page).fill('')

    // Messages, each way.
    await composer(bob.page).fill('Hi alice! Welcome to general.')
    await composer(bob.page).press('Enter')
    await messageWith(alice.page, 'Hi alice! Welcome to general.').waitFor()
    await alice.page.getByText('bob is typing…').waitFor({ state: 'detached' })

    await send(alice.page, 'Hello bob, the docs are at https://example.com/docs.')
    const link = bob.page.getByRole('link', { name: 'https://example.com/docs' })
    await link.waitFor()
    assert.equal(await link.getAttribute('href'), 'https://example.com/docs')
    assert.equal(await link.getAttribute('target'), '_blank')
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer nofollow')

    // Consecutive messages group under one header (on both sides); own messages are marked.
    await send(alice.page, 'A second line right after, same group.')
    await messageWith(bob.page, 'A second line right after, same group.').waitFor()
    const startsGroup = (page: Page, text: string) => messageWith(page, text).getAttribute('data-group-start')
    for (const who of [alice, bob]) {
      assert.equal(await startsGroup(who.page, 'Hello bob, the docs are at https://example.com/docs.'), '', `${who.name} sees alice's first message after bob's start a group`)
      assert.equal(await startsGroup(who.page, 'A second line right after, same group.'), null, `${who.name} sees a follow-up within minutes join the group`)
    }
    await alice.page.locator('.message[data-own]').filter({ has: textIs(alice.page, 'A second line right after, same group.') }).waitFor()
  }))

  it('renders markup as text and never runs it', (t) => step(t, async () => {
    await send(alice.page, XSS)
    const shown = messageText(bob.page, XSS)
    await shown.waitFor()
    assert.equal(await shown.textContent(), XSS)
    assert.equal(await log(bob.page).locator('img').count(), 0, 'no element was made from the text')
    assert.deepEqual(bob.dialogs, [])
  }))

  it('edits and deletes one\'s own messages, and the other person sees it', (t) => step(t, async () => {
    await send(alice.page, 'Tpyo here')
    const mine = messageWith(alice.page, 'Tpyo here')
    await mine.hover()
    await mine.getByRole('button', { name: 'Message actions' }).click()
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-message-menu.png'), animations: 'disabled' })
    await alice.page.getByRole('menuitem', { name: 'Edit' }).click()
    const editor = alice.page.getByRole('textbox', { name: 'Edit message' })
    await editor.fill('Typo fixed')
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-edit.png'), animations: 'disabled' })
    await editor.press('Enter')
    await messageWith(bob.page, 'Typo fixed').getByText('(edited)').waitFor()

    // Escape cancels an edit without saving.
    const fixed = messageWith(alice.page, 'Typo fixed')
    await fixed.hover()
    await fixed.getByRole('button', { name: 'Message actions' }).click()
    await alice.page.getByRole('menuitem', { name: 'Edit' }).click()
    await editor.fill('never saved')
    await editor.press('Escape')
    await editor.waitFor({ state: 'detached' })
    await messageWith(alice.page, 'Typo fixed').waitFor()

    // Delete, through the keyboard: focus the actions button, open, confirm.
    await send(alice.page, 'This one goes away')
    await messageWith(alice.page, 'This one goes away').getByRole('button', { name: 'Message actions' }).focus()
    await alice.page.keyboard.press('Enter')
    await alice.page.getByRole('menuitem', { name: 'Delete' }).waitFor()
    // Focus starts on the first item; up from there wraps round to the last one, Delete.
    await alice.page.keyboard.press('ArrowUp')
    await alice.page.keyboard.press('Enter')
    await alice.page.getByRole('dialog', { name: 'Delete this message?' }).getByRole('button', { name: 'Delete' }).click()
    await messageText(bob.page, 'This one goes away').waitFor({ state: 'detached' })
    await log(bob.page).getByText('message deleted').waitFor()

    await alice.page.mouse.move(5, 795)
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-light.png'), animations: 'disabled' })
  }))

  it('reacts to a message: the other person sees the count and who, live; toggled from the picker, a pill and the keyboard', (t) => step(t, async () => {
    await send(bob.page, 'React to this, please')
    const target = (page: Page) => messageWith(page, 'React to this, please')
    /** The 👍 pill of the message as `page` sees it, by its label (count, who, and what pressing does). */
    const thumbs = (page: Page, label: string) => target(page).getByRole('button', { name: `👍 ${label}`, exact: true })
    await target(alice.page).hover()
    await target(alice.page).getByRole('button', { name: 'Add reaction' }).click()
    await alice.page.getByRole('group', { name: 'Pick a reaction' }).waitFor()
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-reaction-picker.png'), animations: 'disabled' })
    await alice.page.getByRole('button', { name: 'React with 👍' }).click()

    // Alice reacted: hers is pressed; bob sees one, and who.
    await thumbs(alice.page, '1: you. Press to take yours back.').waitFor()
    assert.equal(await thumbs(alice.page, '1: you. Press to take yours back.').getAttribute('aria-pressed'), 'true')
    const forBob = thumbs(bob.page, '1: alice. Press to react too.')
    await forBob.waitFor()
    assert.equal(await forBob.getAttribute('title'), 'alice', 'who reacted, on hover')
    assert.equal(await forBob.getAttribute('aria-pressed'), 'false')

    // Bob toggles the same emoji: two, for both.
    await forBob.click()
    await thumbs(bob.page, '2: alice and you. Press to take yours back.').waitFor()
    await thumbs(alice.page, '2: you and bob. Press to take yours back.').waitFor()
    for (const who of [alice, bob]) {
      await who.page.mouse.move(5, 795)
      await target(who.page).scrollIntoViewIfNeeded()
      await who.page.screenshot({ path: join(RESULTS_DIR, `chat-reactions-${who === alice ? 'light' : 'dark'}.png`), animations: 'disabled' })
    }

    // Alice takes hers back with the keyboard: one, bob's.
    await thumbs(alice.page, '2: you and bob. Press to take yours back.').focus()
    await alice.page.keyboard.press('Enter')
    await thumbs(alice.page, '1: bob. Press to react too.').waitFor()
    await thumbs(bob.page, '1: you. Press to take yours back.').waitFor()
    assert.equal(await target(bob.page).locator('.reaction').count(), 1)
  }))

  it('makes the message list one Tab stop, with arrows to move inside it', (t) => step(t, async () => {
    const page = alice.page
    await openRoom(page, 'markets')
    const texts = ['Keyboard one', 'Keyboard two, see https://example.com/notes', 'Keyboard three']
    for (const text of texts) await send(page, text)

    // Backwards from the message box: what in the list takes focus before it is left.
    await composer(page).focus()
    const stops: string[] = []
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Shift+Tab')
      const where = await page.evaluate(() => {
        const active = document.activeElement as HTMLElement | null
        return { inLog: Boolean(active?.closest('[role="log"]')), what: `${active?.tagName.toLowerCase()} ${(active?.getAttribute('aria-label') ?? active?.textContent ?? '').trim().slice(0, 30)}` }
      })
      if (!where.inLog) break
      stops.push(where.what)
    }
    // The newest message, then its actions (add a reaction, the ⋯ menu): nothing of the others.
    assert.ok(stops.length >= 1 && stops.length <= 3, `expected the list to be one stop (the newest message, and its actions), saw ${stops.length}: ${JSON.stringify(stops)}`)

    // Inside, the arrows move from message to message; Home and End go to the ends.
    const newest = messageWith(page, 'Keyboard three')
    await newest.focus()
    const focusedText = () => page.evaluate(() => document.activeElement?.closest('article')?.querySelector('.message-text')?.textContent ?? '')
    await page.keyboard.press('ArrowUp')
    assert.match(await focusedText(), /^Keyboard two/, 'ArrowUp: the message before')
    await page.keyboard.press('ArrowDown')
    assert.match(await focusedText(), /^Keyboard three/, 'ArrowDown: the message after')
    await page.keyboard.press('Home')
    const first = await page.evaluate(() => document.querySelector('[role="log"] article')?.querySelector('.message-text')?.textContent ?? '')
    assert.equal(await focusedText(), first, 'Home: the first message held')
    await page.keyboard.press('End')
    assert.match(await focusedText(), /^Keyboard three/, 'End: the newest')
    // Tab from the message that has focus reaches its own actions, then leaves the list.
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => document.activeElement?.closest('article')?.querySelector('.message-text')?.textContent ?? ''), 'Keyboard two, see https://example.com/notes')
  }))

  it('opens a direct room by username, with unread counts, and survives a reload', (t) => step(t, async () => {
    // Escape closes a dialog and gives focus back to what opened it.
    const opener = alice.page.getByRole('button', { name: 'New direct message' })
    await opener.click()
    const dialog = alice.page.getByRole('dialog', { name: 'New direct message' })
    assert.equal(await dialog.getByLabel('Username').evaluate((element) => element === document.activeElement), true, 'the field has focus')
    await alice.page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    await opener.evaluate((element) => new Promise<void>((resolve, reject) => {
      const started = Date.now()
      const check = () => element === document.activeElement ? resolve() : Date.now() - started > 2000 ? reject(new Error('focus did not return to the button')) : requestAnimationFrame(check)
      check()
    }))
    await opener.click()
    await dialog.getByLabel('Username').fill('nobody_here')
    await dialog.getByRole('button', { name: 'Open conversation' }).click()
    await dialog.getByText('There’s nobody called “nobody_here”. Check the spelling.').waitFor()
    await dialog.getByLabel('Username').fill('bob')
    await dialog.getByRole('button', { name: 'Open conversation' }).click()
    await alice.page.getByRole('heading', { level: 1, name: 'bob' }).waitFor()
    const dmPath = new URL(alice.page.url()).pathname
    assert.match(dmPath, /^\/chat\/[^/]+$/)

    await send(alice.page, 'psst, a private word')
    // Bob is still in general: the new room appears with one unread message.
    const dmLink = sidebar(bob.page).getByRole('link', { name: 'alice, 1 unread' })
    await dmLink.waitFor()
    await dmLink.click()
    await messageWith(bob.page, 'psst, a private word').waitFor()
    await send(bob.page, 'Got it, my lips are sealed.')
    await messageWith(alice.page, 'Got it, my lips are sealed.').waitFor()
    await sidebar(bob.page).getByRole('link', { name: 'alice' }).waitFor()
    await alice.page.mouse.move(5, 795)
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-dm.png'), animations: 'disabled' })

    // Back in general, alice writes; bob, still in the direct room, sees general's unread count.
    await openRoom(alice.page, 'general')
    // The mention first: a message ending in @bob would leave its completion list open, where Enter picks bob.
    await send(alice.page, '@bob lunch at noon, anyone?')
    await sidebar(bob.page).getByRole('link', { name: 'general, 1 unread' }).waitFor()
    await bob.page.mouse.move(5, 795)
    await bob.page.screenshot({ path: join(RESULTS_DIR, 'chat-dark.png'), animations: 'disabled' })

    // A deep link survives a reload, with the conversation caught up.
    await bob.page.reload()
    await connected(bob.page)
    assert.equal(new URL(bob.page.url()).pathname, dmPath)
    await messageWith(bob.page, 'psst, a private word').waitFor()
    await messageWith(bob.page, 'Got it, my lips are sealed.').waitFor()
    await alice.page.goto(`${server!.url}/chat/general`)
    await connected(alice.page)
    await messageWith(alice.page, 'Hi alice! Welcome to general.').waitFor()
    await messageText(alice.page, XSS).waitFor()
  }))

  it('creates a private room and invites someone, who sees it appear', (t) => step(t, async () => {
    await alice.page.getByRole('button', { name: 'New room' }).click()
    const dialog = alice.page.getByRole('dialog', { name: 'New room' })
    await dialog.getByRole('button', { name: 'Create room' }).click()
    await dialog.getByText('Give the room a name.').waitFor()
    await dialog.getByLabel('Name').fill('secret plans')
    await dialog.getByLabel('Topic (optional)').fill('Birthday surprise for carol')
    await dialog.getByText('Private', { exact: true }).click()
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-new-room.png'), animations: 'disabled' })
    await dialog.getByRole('button', { name: 'Create room' }).click()
    await alice.page.getByRole('heading', { level: 1, name: 'secret plans' }).waitFor()

    await alice.page.getByRole('button', { name: 'Invite' }).click()
    const invite = alice.page.getByRole('dialog', { name: 'Invite to secret plans' })
    await invite.getByLabel('Username').fill('bob')
    await invite.getByLabel('Username').press('Enter')
    await invite.waitFor({ state: 'detached' })
    await sidebar(bob.page).getByRole('link', { name: 'secret plans' }).waitFor()
  }))

  it('keeps messages written offline in an outbox that survives the page and delivers each once', (t) => step(t, async () => {
    await alice.page.goto(`${server!.url}/chat/general`)
    await connected(alice.page)
    await bob.page.goto(`${server!.url}/chat/general`)
    await connected(bob.page)
    await log(alice.page).waitFor()

    // Offline on the same page: pending, then delivered once back online.
    await alice.context.setOffline(true)
    await topBar(alice.page).getByRole('status').filter({ hasText: /^Offline$/ }).waitFor()
    await composer(alice.page).fill('written on the train')
    await composer(alice.page).press('Enter')
    const pending = log(alice.page).locator('.message[data-state="pending"]').filter({ has: textIs(alice.page, 'written on the train') })
    await pending.getByText('Waiting for connection…').waitFor()

    // A second one, then the page goes away before the connection comes back.
    await composer(alice.page).fill('and this one survives a reload')
    await composer(alice.page).press('Enter')
    await log(alice.page).locator('.message[data-state="pending"]').filter({ has: textIs(alice.page, 'and this one survives a reload') }).waitFor()
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-offline.png'), animations: 'disabled' })
    const stored = await alice.page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('hubbub:chat-outbox:')).map((key) => localStorage.getItem(key)).join(''))
    assert.match(stored, /and this one survives a reload/, 'the outbox is in localStorage')
    await alice.page.close()

    await alice.context.setOffline(false)
    const page = await alice.context.newPage()
    watchPage(page, alice.problems, alice.dialogs)
    alice.page = page
    await page.goto(`${server!.url}/chat/general`)
    await connected(page)

    for (const text of ['written on the train', 'and this one survives a reload']) {
      await messageWith(bob.page, text).waitFor()
      await messageWith(page, text).waitFor()
    }
    await log(page).locator('.message[data-state]').waitFor({ state: 'detached' })
    // A round trip after delivery: anything sent twice would have arrived before this.
    await send(bob.page, 'welcome back')
    await messageWith(page, 'welcome back').waitFor()
    for (const who of [page, bob.page]) {
      assert.equal(await messageWith(who, 'written on the train').count(), 1, 'shown exactly once')
      assert.equal(await messageWith(who, 'and this one survives a reload').count(), 1, 'shown exactly once')
    }
    const order = await log(bob.page).locator('.message-text').allTextContents()
    assert.ok(order.indexOf('written on the train') < order.indexOf('and this one survives a reload'), 'delivered in the order written')
  }))

  it('shows a message written offline at the one time the server gave it, to the sender as to others', (t) => step(t, async () => {
    // Erin's clock is three hours behind: what her browser calls "now" is her writing time.
    const erin = await signUpInBrowser(browser!, `${server!.url}/chat`, 'erin', { colorScheme: 'light' }, recordSentFrames)
    try {
      await erin.context.clock.setFixedTime(Date.now() - 3 * 60 * 60 * 1000)
      await openRoom(erin.page, 'random')
      await bob.page.goto(`${server!.url}/chat/random`)
      await connected(bob.page)

      await erin.context.setOffline(true)
      await topBar(erin.page).getByRole('status').filter({ hasText: /^Offline$/ }).waitFor()
      await composer(erin.page).fill('written before the tunnel')
      await composer(erin.page).press('Enter')
      const pending = log(erin.page).locator('.message[data-state="pending"]').filter({ has: textIs(erin.page, 'written before the tunnel') })
      await pending.waitFor()
      assert.deepEqual(await pending.locator('time').allTextContents(), [], 'no time while waiting: the server has not given it one')
      await erin.context.setOffline(false)

      await messageWith(bob.page, 'written before the tunnel').waitFor()
      await log(erin.page).locator('.message[data-state]').waitFor({ state: 'detached' })
      const shown = (page: Page) => messageWith(page, 'written before the tunnel').locator('time').evaluateAll((times) =>
        times.map((time) => `${time.getAttribute('datetime')} ${time.textContent}`))
      const [toErin, toBob] = [await shown(erin.page), await shown(bob.page)]
      assert.ok(toBob.length === 1 && toErin[0] === toBob[0], `one time for everyone, the server's: erin sees ${JSON.stringify(toErin)}, bob ${JSON.stringify(toBob)}`)
      assert.deepEqual(erin.problems, [], 'erin\'s browser reported no errors')
    } finally {
      await erin.context.close()
    }
  }))

  it('loads older history while scrolling up without moving the view, and holds new messages behind a pill', (t) => step(t, async () => {
    // Someone else fills a room over a plain socket: more than one page of history.
    const { roomId, post, close } = await roomOfSomeoneElse('history', 'dave')
    try {
      for (let i = 1; i <= 70; i++) await post(`history ${i}`, `history-${i}-${process.pid}`)

      const page = alice.page
      await page.goto(`${server!.url}/chat/${roomId}`)
      await connected(page)
      await messageWith(page, 'history 70').waitFor()
      const scroller = page.locator('.message-scroller')
      const atBottom = () => scroller.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 2)
      assert.equal(await atBottom(), true, 'opens at the newest message')

      // Scroll to the top: the older page arrives above, and what was in view stays in place.
      // Read in the same task as the scroll, before anything it causes: where the first loaded
      // message is, whether an older one is shown, and what the page has asked so far.
      const firstLoaded = messageText(page, 'history 21')
      const atScroll = await firstLoaded.evaluate((text) => {
        const el = text.closest('.message-scroller')!
        el.scrollTop = 0
        return {
          y: text.getBoundingClientRect().y,
          shown: Array.from(el.querySelectorAll('.message-text'), (message) => message.textContent ?? ''),
          sent: [...(window as unknown as { hubbubSent: string[] }).hubbubSent]
        }
      })
      assert.equal(atScroll.shown[0], 'history 21', `only the latest page at first, from history 21; saw ${atScroll.shown.slice(0, 3).join(', ')}…`)
      const asked = sentCommands(atScroll.sent)
      assert.ok(asked.includes('chat:join') && !asked.some((command) => command.startsWith('chat:history')),
        `the room joined, no older page asked for before the scroll; sent ${asked.join(', ')}`)
      const before = atScroll.y
      await messageWith(page, 'history 1').waitFor({ state: 'attached' })
      await page.getByText('Welcome to #history').waitFor({ state: 'attached' })
      const after = (await firstLoaded.boundingBox())!.y
      assert.ok(Math.abs(after - before) <= 2, `the message in view stayed put: ${before} -> ${after}`)

      // Reading older messages: a new one does not pull the view down; a pill offers to jump.
      await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight / 3 })
      const held = (await firstLoaded.boundingBox())!.y
      await post('fresh news', `fresh-news-${process.pid}`)
      const pill = page.getByRole('button', { name: 'New messages' })
      await pill.waitFor()
      assert.ok(Math.abs((await firstLoaded.boundingBox())!.y - held) <= 2, 'the view did not move')
      await page.screenshot({ path: join(RESULTS_DIR, 'chat-history-pill.png'), animations: 'disabled' })
      await pill.click()
      await pill.waitFor({ state: 'detached' })
      await page.waitForFunction(() => {
        const el = document.querySelector('.message-scroller')
        return el !== null && el.scrollHeight - el.scrollTop - el.clientHeight < 2
      })
      assert.ok(await messageWith(page, 'fresh news').isVisible())

      // At the bottom, new messages just appear in view, with no pill at any moment.
      const pills = await watchAppearances(page, '.new-messages-pill')
      await post('and more news', `more-news-${process.pid}`)
      await messageWith(page, 'and more news').waitFor()
      await page.waitForFunction(() => {
        const el = document.querySelector('.message-scroller')
        return el !== null && el.scrollHeight - el.scrollTop - el.clientHeight < 2
      })
      // One more message is a barrier: a pill for the previous one would have been shown before it.
      await post('and that is all', `that-is-all-${process.pid}`)
      await messageWith(page, 'and that is all').waitFor()
      const seen = await pills()
      assert.deepEqual(seen, [], `no "New messages" pill while at the bottom; saw ${JSON.stringify(seen)}`)

      // A link to one old message (as notifications give): history loads back to it, and it is shown.
      await page.goto(`${server!.url}/chat/${roomId}?seq=5`)
      await connected(page)
      const target = log(page).locator('.message[data-highlight]')
      await target.waitFor()
      assert.equal(await target.locator('.message-text').textContent(), 'history 5')
      assert.ok(await target.isVisible())
      const box = (await target.boundingBox())!
      const view = (await scroller.boundingBox())!
      assert.ok(box.y >= view.y && box.y + box.height <= view.y + view.height, 'the linked message is in view')
    } finally {
      close()
    }
  }))

  it('catches up on what was said while offline, and sends a message refused as too fast again after the wait the server names', (t) => step(t, async () => {
    await openRoom(alice.page, 'general')
    await openRoom(bob.page, 'general')
    await bob.context.setOffline(true)
    await topBar(bob.page).getByRole('status').filter({ hasText: /^Offline$/ }).waitFor()
    for (const text of ['while you were away: one', 'two', 'three']) await send(alice.page, text)
    await bob.context.setOffline(false)
    await connected(bob.page)
    for (const text of ['while you were away: one', 'two', 'three']) await messageWith(bob.page, text).waitFor()
    const texts = await log(bob.page).locator('.message-text').allTextContents()
    assert.deepEqual(texts.slice(-3), ['while you were away: one', 'two', 'three'], 'in order, once each')

    // Alice uses up her sending allowance elsewhere; her next message is refused as too fast at
    // first, and the page sends it again after the wait the server names, with the same clientId.
    const login = await api(server!.url, 'POST', '/api/auth/login', { body: { username: 'alice', password: E2E_PASSWORD } })
    assert.equal(login.status, 200)
    const socket = await connect(server!.url, '/chat', { token: login.body.token })
    try {
      const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => command(socket, 'chat:send', { roomId: 'random', text: `burst ${i}`, clientId: `burst-${i}-${process.pid}` })))
      assert.ok(burst.some((result) => !result.ok), 'the burst hit the limit')
    } finally {
      socket.close()
    }
    await composer(alice.page).fill('one too many')
    await composer(alice.page).press('Enter')
    await messageWith(bob.page, 'one too many').waitFor()
    assert.equal(await log(bob.page).locator('.message-text').filter({ hasText: /^one too many$/ }).count(), 1, 'delivered once')
    await send(bob.page, 'ok, got that')
    await messageWith(alice.page, 'ok, got that').waitFor()
    assert.equal(await messageWith(bob.page, 'one too many').count(), 1)
  }))

  it('opens a room with unread messages at a "New" line, jumps back to it, and marks unread from a message, kept over a reload', (t) => step(t, async () => {
    // Someone else posts in a room bob has read to the end, while bob is in another room.
    const { post, close } = await roomOfSomeoneElse('news')
    try {
      for (let i = 1; i <= 5; i++) await post(`old news ${i}`, `old-news-${i}-${process.pid}`)
      const page = bob.page
      await openRoom(page, 'news')
      await messageWith(page, 'old news 5').waitFor()
      await openRoom(page, 'general')
      const long = 'and the details, told at some length so that it takes more than one line on the screen of a wide window like this one, which it does'
      for (let i = 1; i <= 18; i++) await post(`Unread ${i}: ${long}`, `unread-${i}-${process.pid}`)
      await sidebar(page).getByRole('link', { name: 'news, 18 unread' }).waitFor()

      // Entering: a "New" line above the first unread message, and the room opens there.
      await openRoom(page, 'news')
      const line = log(page).locator('.unread-line')
      await line.waitFor()
      const lineRow = log(page).locator('[data-anchor]').filter({ has: page.locator('.unread-line') })
      assert.match((await lineRow.locator('.message-text').textContent()) ?? '', /^Unread 1: /, 'the line sits above the first unread message')
      const scroller = page.locator('.message-scroller')
      const inView = async (target: Locator) => {
        const box = (await target.boundingBox())!
        const view = (await scroller.boundingBox())!
        return box.y >= view.y && box.y + box.height <= view.y + view.height
      }
      assert.ok(await inView(line), 'opened at the line')
      assert.equal(await inView(messageWith(page, `Unread 18: ${long}`)), false, 'not at the bottom')
      await page.screenshot({ path: join(RESULTS_DIR, 'chat-unread-line.png'), animations: 'disabled' })

      // Read on to the end: the line goes out of view, and a control brings it back.
      await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight })
      const jump = page.getByRole('button', { name: 'Jump to first unread' })
      await jump.waitFor()
      await sidebar(page).getByRole('link', { name: 'news', exact: true }).waitFor()
      await page.screenshot({ path: join(RESULTS_DIR, 'chat-jump-to-unread.png'), animations: 'disabled' })
      await jump.click()
      await jump.waitFor({ state: 'detached' })
      await page.waitForFunction(() => {
        const row = document.querySelector('.unread-line')
        const view = document.querySelector('.message-scroller')
        if (!row || !view) return false
        const at = row.getBoundingClientRect()
        const box = view.getBoundingClientRect()
        return at.top >= box.top && at.bottom <= box.bottom
      })

      // Mark unread from a message: the line moves to it here, and the server keeps it for a reload.
      const tenth = messageWith(page, `Unread 10: ${long}`)
      await tenth.hover()
      await tenth.getByRole('button', { name: 'Message actions' }).click()
      await page.getByRole('menuitem', { name: 'Mark unread from here' }).click()
      // The line moves once the server has acknowledged the new marker.
      await lineRow.filter({ hasText: 'Unread 10: ' }).waitFor()
      await page.reload()
      await connected(page)
      await line.waitFor()
      assert.match((await lineRow.locator('.message-text').textContent()) ?? '', /^Unread 10: /, 'after a reload the line is at the message marked unread')
      assert.ok(await inView(line), 'and the room opens there')
      await page.screenshot({ path: join(RESULTS_DIR, 'chat-marked-unread.png'), animations: 'disabled' })
    } finally {
      close()
    }
  }))

  it('fits a 360 px screen: the rooms list is home, a room has a way back', (t) => step(t, async () => {
    const context = await browser!.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, colorScheme: 'light' })
    context.setDefaultTimeout(15_000)
    try {
      const page = await context.newPage()
      const problems: string[] = []
      const dialogs: string[] = []
      watchPage(page, problems, dialogs)
      await page.goto(`${server!.url}/chat`)
      await page.getByRole('tab', { name: 'Create account' }).click()
      await page.getByLabel('Username').fill('carol')
      await page.getByLabel('Password', { exact: true }).fill(E2E_PASSWORD)
      await page.getByLabel('Password', { exact: true }).press('Enter')
      await connected(page)
      await sidebar(page).getByRole('link', { name: 'general' }).waitFor()
      await openRoom(page, 'general')
      await messageWith(page, 'welcome back').waitFor()
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert.equal(overflow, 0, 'nothing sticks out sideways')
      await send(page, 'Hello from my phone, @alice!')
      await page.screenshot({ path: join(RESULTS_DIR, 'chat-360.png'), animations: 'disabled' })
      // No hover on a phone: a tap on a message shows its add button.
      const welcome = messageWith(page, 'welcome back')
      await welcome.tap()
      await welcome.getByRole('button', { name: 'Add reaction' }).tap()
      await page.getByRole('button', { name: 'React with 👀' }).tap()
      await welcome.getByRole('button', { name: '👀 1: you. Press to take yours back.' }).waitFor()
      await page.getByRole('link', { name: 'All rooms' }).click()
      // Read, so no unread count (it clears once the server has the read marker).
      await sidebar(page).getByRole('link', { name: 'general', exact: true }).waitFor()
      assert.equal(await page.getByRole('log').count(), 0, 'the list is the whole screen')
      await page.screenshot({ path: join(RESULTS_DIR, 'chat-360-rooms.png'), animations: 'disabled' })
      assert.deepEqual(problems, [])
      assert.deepEqual(dialogs, [])
    } finally {
      await context.close()
    }
  }))
})
