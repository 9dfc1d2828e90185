import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import type { Socket } from 'socket.io-client'
import { E2E_PASSWORD, launchBrowser, RESULTS_DIR } from '../helpers/browser.ts'
import { browserSuite, peopleStep, signedInBrowser, type Person } from '../helpers/e2e-people.ts'
import { api, registerUser } from '../helpers/http.ts'
import { sendAsClient } from '../helpers/sockets.ts'
import { spawnServer, type SpawnedServer } from '../helpers/spawn-server.ts'
import { createStorage } from '../../server/storage/create-storage.ts'

const topBar = (page: Page) => page.getByRole('banner')
const dialog = (page: Page) => page.getByRole('dialog', { name: 'Search messages' })
const box = (page: Page) => dialog(page).getByRole('combobox', { name: 'Search messages' })
const hits = (page: Page) => dialog(page).getByRole('option')
const composer = (page: Page) => page.getByRole('textbox', { name: /^Message / })
const shot = (page: Page, name: string) => page.screenshot({ path: join(RESULTS_DIR, `chat-search-${name}.png`), animations: 'disabled' })

/** Types a query as a person does (the box is searched once typing pauses) and waits for its hits to be shown. */
async function search (page: Page, query: string) {
  await box(page).fill('')
  await box(page).pressSequentially(query)
  await answered(page, query)
}

/** The hits shown are the answer to `query`. */
const answered = (page: Page, query: string) =>
  dialog(page).getByRole('status').filter({ hasText: `found for “${query}”.` }).waitFor({ state: 'attached' })

describe('search in the browser', () => {
  const suite = browserSuite('chat-search')
  let alice: Person
  let bob: Person
  let bobSocket: Socket | null = null
  let releasesId = ''

  /** A user registered over HTTP, signed in in a browser of their own (any alert() a message could smuggle in is a problem too). */
  async function person (name: string, options: BrowserContextOptions): Promise<Person & { token: string }> {
    const user = await registerUser(suite.url, name, E2E_PASSWORD)
    return { ...await suite.signedIn(name, user, options), token: user.token }
  }

  async function open (who: Person, path: string) {
    await who.page.goto(suite.url + path)
    await topBar(who.page).getByRole('status').filter({ hasText: /^Connected$/ }).waitFor()
  }

  before(async () => {
    if (!suite.ready) return
    alice = await person('alice', { colorScheme: 'light' })
    const b = bob = await person('bob', { colorScheme: 'dark', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
    // Bob fills a room over a plain socket: the message to find, then more than a page after it.
    const created = await api(suite.url, 'POST', '/api/rooms', { token: b.token, body: { name: 'releases', visibility: 'public' } })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    releasesId = created.body.room.id
    bobSocket = await suite.socketOf(b.token, '/chat')
    let posted = 0
    const post = async (text: string) => {
      // Paced under the send limit (10 a second after a burst of 20): refused sends would draw on
      // the socket's command budget too, and a socket refused too often is disconnected.
      if (++posted > 15) await new Promise((resolve) => setTimeout(resolve, 125))
      const result = await sendAsClient(bobSocket!, 'chat:send', { roomId: releasesId, text, clientId: crypto.randomUUID() })
      assert.ok(result.ok, `${text}: ${JSON.stringify(result)}`)
    }
    for (let i = 1; i <= 5; i++) await post(`warming up ${i}`)
    await post('The Zephyrine rollout is done, dashboards are green')
    for (let i = 1; i <= 65; i++) await post(i === 7 ? `filler ${i} <img src=x onerror=alert(1)>` : `filler ${i}`)
  })

  const step = (t: TestContext, run: () => Promise<void>) => suite.step(t, [alice, bob], run)

  it('finds a message by the start of a word, narrows by author, and opens its room at it, highlighted, with its context', (t) => step(t, async () => {
    await open(alice, '/chat/general')
    await composer(alice.page).fill('zephyrine is a wind, I think')
    await composer(alice.page).press('Enter')
    await alice.page.getByRole('log').locator('.message:not([data-state])').filter({ hasText: 'zephyrine is a wind' }).waitFor()

    // Ctrl+K works even while typing in the composer.
    await composer(alice.page).focus()
    await alice.page.keyboard.press('Control+k')
    await dialog(alice.page).waitFor()
    assert.equal(await box(alice.page).evaluate((input) => input === document.activeElement), true, 'the search box has focus')
    await dialog(alice.page).getByText('from:user').waitFor()
    await shot(alice.page, 'hint-light')

    await search(alice.page, 'zeph')
    const found = await hits(alice.page).allInnerTexts()
    assert.equal(found.length, 2, `two hits for "zeph"; saw ${JSON.stringify(found)}`)
    assert.match(found[0]!, /general[\s\S]*alice[\s\S]*zephyrine is a wind/, 'newest first: alice\'s own message')
    assert.match(found[1]!, /releases[\s\S]*bob[\s\S]*The Zephyrine rollout is done/)
    assert.deepEqual(await dialog(alice.page).locator('mark').allInnerTexts(), ['zeph', 'Zeph'], 'the word starts are marked, as written')
    assert.equal(await hits(alice.page).first().getAttribute('aria-selected'), 'true', 'the first hit is active')
    await shot(alice.page, 'results-light')

    // A filter narrows: only bob's message. Enter pressed before the hits answer what is typed
    // searches at once, and never opens a hit of the query before.
    await box(alice.page).fill('zeph from:bob')
    await box(alice.page).press('Enter')
    await answered(alice.page, 'zeph from:bob')
    assert.equal(new URL(alice.page.url()).pathname, '/chat/general', 'nothing opened yet')
    assert.equal(await hits(alice.page).count(), 1, 'from:bob leaves one hit')
    await hits(alice.page).first().getByText('bob', { exact: true }).waitFor()

    // Enter opens the room at that message: in view, highlighted, the messages around it loaded.
    await box(alice.page).press('Enter')
    await dialog(alice.page).waitFor({ state: 'detached' })
    await alice.page.waitForURL((url) => url.pathname === `/chat/${releasesId}` && url.search === '?seq=6')
    await alice.page.getByRole('heading', { level: 1, name: 'releases' }).waitFor()
    const target = alice.page.getByRole('log').locator('.message[data-highlight]')
    await target.waitFor()
    assert.equal(await target.locator('.message-text').innerText(), 'The Zephyrine rollout is done, dashboards are green')
    const shown = (await target.boundingBox())!
    const view = (await alice.page.locator('.message-scroller').boundingBox())!
    assert.ok(shown.y >= view.y && shown.y + shown.height <= view.y + view.height, `the message is in view: ${JSON.stringify({ shown, view })}`)
    for (const text of ['warming up 5', 'filler 1', 'filler 65']) {
      await alice.page.getByRole('log').locator('.message-text').filter({ hasText: new RegExp(`^${text}$`) }).waitFor({ state: 'attached' })
    }
    await shot(alice.page, 'opened-light')

    // Live messages still arrive while reading back there.
    await sendAsClient(bobSocket!, 'chat:send', { roomId: releasesId, text: 'and one more thing', clientId: crypto.randomUUID() })
    const pill = alice.page.getByRole('button', { name: 'New messages' })
    await pill.waitFor()

    // Back at the end, the same hit again: the message is brought into view once more.
    await pill.click()
    await target.waitFor({ state: 'detached' })
    await alice.page.keyboard.press('Control+k')
    await answered(alice.page, 'zeph from:bob')
    await box(alice.page).press('Enter')
    await target.waitFor()
    const again = (await target.boundingBox())!
    assert.ok(again.y >= view.y && again.y + again.height <= view.y + view.height, `in view again: ${JSON.stringify({ again, view })}`)
  }))

  it('opens with / outside fields, closes with Escape giving focus back, and says what is wrong with a query', (t) => step(t, async () => {
    const page = alice.page
    // In a field, / is a character.
    await composer(page).fill('')
    await composer(page).press('/')
    assert.equal(await composer(page).inputValue(), '/')
    assert.equal(await dialog(page).count(), 0, 'no search while typing')
    await composer(page).fill('')

    const button = topBar(page).getByRole('button', { name: 'Search messages' })
    await button.focus()
    await page.keyboard.press('/')
    await dialog(page).waitFor()
    assert.equal(await box(page).inputValue(), 'zeph from:bob', 'the last query is kept, and the / was not typed into it')
    await page.keyboard.press('Escape')
    await dialog(page).waitFor({ state: 'detached' })
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Search messages')

    await button.click()
    await dialog(page).waitFor()
    await box(page).fill('zephyrine before:2026-13-01')
    const alert = dialog(page).getByRole('alert')
    await alert.waitFor()
    assert.match(await alert.innerText(), /before: a day as YYYY-MM-DD, not "2026-13-01"/)
    await shot(page, 'invalid-light')

    await search(page, 'qwertyuiop')
    await dialog(page).getByText('No messages match').waitFor()
    await page.keyboard.press('Escape')
  }))

  it('pages with Load more and the arrow keys, shows text as text, and fits a phone in the dark theme', (t) => step(t, async () => {
    const page = bob.page
    await open(bob, '/chat')
    const bar = (await topBar(page).boundingBox())!
    assert.ok(bar.height < 120, `the top bar keeps its buttons on one row beside the logo: ${bar.height} px high`)
    await shot(page, 'top-bar-dark-phone')
    await topBar(page).getByRole('button', { name: 'Search messages' }).click()
    await dialog(page).waitFor()
    await search(page, 'filler')
    assert.equal(await hits(page).count(), 20, 'a page of 20')
    await dialog(page).getByRole('button', { name: 'Load more' }).click()
    await hits(page).nth(39).waitFor()
    assert.match(await hits(page).nth(20).innerText(), /filler 45/, 'the next page follows on, newest first')

    const xss = hits(page).filter({ hasText: 'filler 7 ' })
    await box(page).press('ArrowDown')
    assert.equal(await hits(page).nth(1).getAttribute('aria-selected'), 'true', 'ArrowDown moves to the next hit')
    await dialog(page).getByRole('button', { name: 'Load more' }).click()
    await xss.waitFor()
    assert.match(await xss.innerText(), /<img src=x onerror=alert\(1\)>/, 'markup is shown as text')
    assert.equal(await dialog(page).locator('img').count(), 0)
    await box(page).press('ArrowUp')
    assert.equal(await hits(page).first().getAttribute('aria-selected'), 'true')

    const size = await dialog(page).boundingBox()
    assert.ok(size && size.width <= 390 && size.x >= 0, `the dialog fits the phone: ${JSON.stringify(size)}`)
    await shot(page, 'results-dark-phone')
    await page.keyboard.press('Escape')
    await dialog(page).waitFor({ state: 'detached' })
  }))
})

describe('a search hit too far back to open in its room', () => {
  let browser: Browser | null = null
  let server: SpawnedServer | null = null
  const dir = mkdtempSync(join(tmpdir(), 'hubbub-e2e-search-'))
  const databaseUrl = `sqlite:${join(dir, 'hubbub.db')}`
  let roomId = ''
  // The room view loads up to 1,000 messages back from the newest to reach one (REVEAL_REACH).
  const later = 1100

  before(async () => {
    browser = await launchBrowser()
    if (!browser) return
    // More history than the room view loads to reach a message, written straight to the store
    // (through the server it would take minutes at the send limit), then served.
    const first = await spawnServer({ DATABASE_URL: databaseUrl })
    const dora = await registerUser(first.url, 'dora', E2E_PASSWORD)
    const created = await api(first.url, 'POST', '/api/rooms', { token: dora.token, body: { name: 'archive', visibility: 'public' } })
    roomId = created.body.room.id
    await first.stop()
    const storage = await createStorage({ databaseUrl, databasePoolSize: 1 })
    const at = Date.now() - 3_600_000
    const append = (text: string, i: number) => storage.chat.appendMessage({ roomId, authorId: dora.user.id, text, clientId: `seed-${i}`, now: at + i * 1000 })
    for (let i = 1; i <= 4; i++) await append(`old ${i}`, i)
    await append('the quokka incident report', 5)
    for (let i = 1; i <= later; i++) await append(`later ${i}`, 5 + i)
    await storage.close()
    server = await spawnServer({ DATABASE_URL: databaseUrl })
    mkdirSync(RESULTS_DIR, { recursive: true })
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  const people: Person[] = []
  it('shows the hit with the messages around it, read-only, and Jump to present opens the room at its end', (t) => peopleStep(t, browser && server ? people : null, 'chat-search', async () => {
    const user = await registerUser(server!.url, 'eve', E2E_PASSWORD)
    const eve = await signedInBrowser(browser!, server!.url, 'eve', user, { colorScheme: 'dark' })
    people.push(eve)
    const { page } = eve
    await page.goto(`${server!.url}/chat`)
    await topBar(page).getByRole('status').filter({ hasText: /^Connected$/ }).waitFor()
    await page.keyboard.press('Control+k')
    await search(page, 'quokka')
    await box(page).press('Enter')

    const around = dialog(page).getByRole('list', { name: 'Messages around the result in archive' })
    const hit = around.locator('[data-hit]')
    await hit.waitFor()
    assert.match(await hit.innerText(), /the quokka incident report/)
    const texts = await around.locator('.search-hit-text').allInnerTexts()
    assert.deepEqual([texts[0], texts.at(-1), texts.length], ['old 1', 'later 25', 30], 'the room\'s first messages, the hit and the 25 after it')
    const jump = dialog(page).getByRole('button', { name: 'Jump to present' })
    assert.equal(await jump.evaluate((button) => button === document.activeElement), true, 'focus on Jump to present')
    assert.equal(new URL(page.url()).pathname, '/chat', 'the room was not opened')
    await shot(page, 'context-dark')

    await jump.click()
    await dialog(page).waitFor({ state: 'detached' })
    await page.waitForURL((url) => url.pathname === `/chat/${roomId}` && url.search === '')
    await page.getByRole('log').locator('.message-text').filter({ hasText: `later ${later}` }).waitFor()
  }))
})
