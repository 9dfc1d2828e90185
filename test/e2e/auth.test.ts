import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { browserSkipReason, colours, E2E_PASSWORD, launchBrowser, RESULTS_DIR, saveFailureScreenshot, themeTokens, watchAppearances, watchProblems } from '../helpers/browser.ts'
import { registerUser } from '../helpers/http.ts'
import { spawnServer, type SpawnedServer } from '../helpers/spawn-server.ts'

const signInHeading = (page: Page) => page.getByRole('heading', { name: 'Welcome back' })
const topBar = (page: Page) => page.getByRole('banner')

/** The signed-in shell: the username in the top bar and a live connection. */
async function waitForShell (page: Page, username: string) {
  await topBar(page).getByRole('button', { name: username }).waitFor()
  await topBar(page).getByRole('status').filter({ hasText: /^Connected$/ }).waitFor()
}

async function registerThroughUi (page: Page, username: string) {
  await page.getByRole('tab', { name: 'Create account' }).click()
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill(E2E_PASSWORD)
  // Enter submits the form: no click needed.
  await page.getByLabel('Password', { exact: true }).press('Enter')
  await waitForShell(page, username)
}

describe('auth in the browser', () => {
  let browser: Browser | null = null
  let server: SpawnedServer | null = null

  before(async () => {
    browser = await launchBrowser()
    if (!browser) return
    server = await spawnServer()
    mkdirSync(RESULTS_DIR, { recursive: true })
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  /** A fresh browser context and page; on failure a screenshot lands in test-results/. */
  async function withPage (t: TestContext, options: BrowserContextOptions, run: (page: Page, url: string) => Promise<void>) {
    if (!browser || !server) return t.skip(browserSkipReason)
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options })
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    const problems = watchProblems(page)
    try {
      await run(page, server.url)
      assert.deepEqual(problems, [], 'the browser reported no errors')
    } catch (error) {
      await saveFailureScreenshot(page, t.name)
      throw error
    } finally {
      await context.close()
    }
  }

  it('registers, signs out, signs in again and stays signed in across a reload', (t) => withPage(t, { colorScheme: 'light' }, async (page, url) => {
    await page.goto(`${url}/chat`)
    await signInHeading(page).waitFor()
    await page.screenshot({ path: join(RESULTS_DIR, 'auth-signin.png'), animations: 'disabled' })

    await registerThroughUi(page, 'ada_lovelace')
    assert.equal(new URL(page.url()).pathname, '/chat')
    await page.getByRole('heading', { name: 'Pick a room to start talking' }).waitFor()
    await page.screenshot({ path: join(RESULTS_DIR, 'shell-light.png'), animations: 'disabled' })

    // Client-side navigation, then a deep link that must survive a reload.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Market' }).click()
    await page.getByRole('heading', { name: 'Market', exact: true }).waitFor()
    assert.equal(new URL(page.url()).pathname, '/market')
    assert.equal(await page.getByRole('link', { name: 'Market' }).getAttribute('aria-current'), 'page')

    // The user menu opens, Escape closes it and gives focus back to its button.
    const menuButton = topBar(page).getByRole('button', { name: 'ada_lovelace' })
    await menuButton.click()
    await page.getByRole('menu').waitFor()
    await page.keyboard.press('Escape')
    await page.getByRole('menu').waitFor({ state: 'hidden' })
    assert.equal(await menuButton.evaluate((element) => element === document.activeElement), true, 'focus returns to the menu button')

    await menuButton.click()
    await page.getByRole('menuitem', { name: 'Sign out' }).click()
    await signInHeading(page).waitFor()

    await page.getByLabel('Username').fill('ada_lovelace')
    await page.getByLabel('Password', { exact: true }).fill(E2E_PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await waitForShell(page, 'ada_lovelace')
    assert.equal(new URL(page.url()).pathname, '/market', 'signing in keeps the address')

    await page.reload()
    await waitForShell(page, 'ada_lovelace')
    await page.getByRole('heading', { name: 'Market', exact: true }).waitFor()

    await page.goto(`${url}/chat/general`)
    await waitForShell(page, 'ada_lovelace')
    await page.getByRole('heading', { name: 'general' }).waitFor()
    assert.equal(await page.title(), '#general · Hubbub')
  }))

  it('says how long to wait when sign-in is locked after too many wrong passwords', (t) => withPage(t, { colorScheme: 'light' }, async (page, url) => {
    await registerUser(url, 'locked_out', E2E_PASSWORD)
    await page.goto(`${url}/chat`)
    await signInHeading(page).waitFor()
    await page.getByLabel('Username').fill('locked_out')
    const form = page.locator('form')
    for (let attempt = 1; attempt <= 30; attempt++) {
      await page.getByLabel('Password', { exact: true }).fill(`wrong password ${attempt}`)
      const answer = page.waitForResponse((response) => response.url().endsWith('/api/auth/login'))
      await page.getByRole('button', { name: 'Sign in', exact: true }).click()
      if ((await answer).status() === 429) break
    }
    const alert = form.getByRole('alert').filter({ hasText: /Too many/ })
    await alert.waitFor()
    const text = await alert.innerText()
    assert.match(text, /Try again in \d+ (seconds|minutes)\./, `expected the wait in the message, saw ${JSON.stringify(text)}`)
  }))

  it('checks the username in the browser before sending anything', (t) => withPage(t, {}, async (page, url) => {
    const posts: string[] = []
    page.on('request', (request) => { if (request.method() === 'POST') posts.push(request.url()) })
    await page.goto(url)
    await signInHeading(page).waitFor()
    await page.getByRole('tab', { name: 'Create account' }).click()
    await page.getByLabel('Username').fill('ab')
    await page.getByLabel('Password', { exact: true }).fill(E2E_PASSWORD)
    await page.getByRole('button', { name: 'Create account', exact: true }).click()

    const username = page.getByLabel('Username')
    await page.getByText(/^Username must be at least \d+ characters\.$/).waitFor()
    assert.equal(await username.getAttribute('aria-invalid'), 'true')
    assert.equal(await username.evaluate((element) => element === document.activeElement), true, 'focus moves to the invalid field')
    assert.deepEqual(posts, [], 'no request was sent')

    // A mention word is no name for a new account (the server refuses it too).
    await username.fill('Room')
    await page.getByRole('button', { name: 'Create account', exact: true }).click()
    await page.getByText('“Room” is reserved: @room is a mention word. Choose another name.').waitFor()
    assert.equal(await username.getAttribute('aria-invalid'), 'true')
    await page.screenshot({ path: join(RESULTS_DIR, 'auth-reserved-name.png'), animations: 'disabled' })
    assert.deepEqual(posts, [], 'no request was sent')
  }))

  it('shows one generic error for a wrong password', (t) => withPage(t, {}, async (page, url) => {
    const registered = await fetch(`${url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'grace', password: E2E_PASSWORD })
    })
    assert.equal(registered.status, 201, 'the user was registered over HTTP')

    await page.goto(url)
    await signInHeading(page).waitFor()
    await page.getByLabel('Username').fill('grace')
    await page.getByLabel('Password', { exact: true }).fill('not the password')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()

    await page.getByRole('alert').filter({ hasText: 'username and password don’t match' }).waitFor()
    await signInHeading(page).waitFor()
    await page.screenshot({ path: join(RESULTS_DIR, 'auth-wrong-password.png'), animations: 'disabled' })
  }))

  it('shows a taken username on the username field', (t) => withPage(t, {}, async (page, url) => {
    const registered = await fetch(`${url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'taken_name', password: E2E_PASSWORD })
    })
    assert.equal(registered.status, 201, 'the user was registered over HTTP')

    await page.goto(url)
    await page.getByRole('tab', { name: 'Create account' }).click()
    await page.getByLabel('Username').fill('Taken_Name')
    await page.getByLabel('Password', { exact: true }).fill(E2E_PASSWORD)
    const alerts = await watchAppearances(page, '[role="alert"]')
    await page.getByRole('button', { name: 'Create account', exact: true }).click()

    const username = page.getByLabel('Username')
    await page.getByText('“Taken_Name” is already taken. Try another name.').waitFor()
    assert.equal(await username.getAttribute('aria-invalid'), 'true')
    // The form is done with the answer once its button is no longer busy; no alert came at any point.
    await page.locator('button[type="submit"][aria-busy="false"]').waitFor()
    assert.deepEqual(await alerts(), [], 'no form-wide error for a field problem')
  }))

  it('looks right in the dark theme', (t) => withPage(t, { colorScheme: 'dark' }, async (page, url) => {
    await page.goto(url)
    await signInHeading(page).waitFor()
    await page.screenshot({ path: join(RESULTS_DIR, 'auth-signin-dark.png'), animations: 'disabled' })
    await registerThroughUi(page, 'dark_mode')
    // The dark theme's own colours, from the stylesheet's dark :root rule (not just "not white").
    const theme = await themeTokens(page, ['--bg', '--surface', '--text'])
    assert.notDeepEqual(theme.dark, theme.light, 'the dark theme has colours of its own')
    assert.deepEqual(await colours(page.locator('body')), { background: theme.dark['--bg'], color: theme.dark['--text'] }, 'the page wears the dark theme')
    assert.equal((await colours(topBar(page))).background, theme.dark['--surface'], 'the top bar wears the dark theme')
    await page.screenshot({ path: join(RESULTS_DIR, 'shell-dark.png'), animations: 'disabled' })
    await topBar(page).getByRole('button', { name: 'dark_mode' }).click()
    await page.getByRole('menu').waitFor()
    await page.screenshot({ path: join(RESULTS_DIR, 'shell-dark-menu.png'), animations: 'disabled' })
  }))

  it('fits a 360 px wide screen', (t) => withPage(t, { viewport: { width: 360, height: 740 }, hasTouch: true }, async (page, url) => {
    await page.goto(`${url}/market`)
    await signInHeading(page).waitFor()
    await page.screenshot({ path: join(RESULTS_DIR, 'auth-signin-360.png'), animations: 'disabled' })
    await page.getByRole('tab', { name: 'Create account' }).click()
    await page.getByLabel('Username').fill('narrow')
    await page.getByLabel('Password', { exact: true }).fill(E2E_PASSWORD)
    await page.getByRole('button', { name: 'Create account', exact: true }).click()
    await topBar(page).getByRole('status').filter({ hasText: /^Connected$/ }).waitFor()
    await page.getByRole('heading', { name: 'Market', exact: true }).waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.equal(overflow, 0, 'nothing sticks out sideways')
    await page.screenshot({ path: join(RESULTS_DIR, 'shell-360.png'), animations: 'disabled' })
  }))
})
