import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import { hashSync } from 'bcryptjs'
import type { Browser, Page } from 'playwright-core'
import type { Socket } from 'socket.io-client'
import { browserSkipReason, launchBrowser, RESULTS_DIR, saveFailureScreenshot, watchProblems } from '../helpers/browser.ts'
import { startApp } from '../helpers/app.ts'
import { registerUser } from '../helpers/http.ts'
import { nodesSkipReason, startNodes } from '../helpers/nodes.ts'
import { connect } from '../helpers/sockets.ts'

const PASSWORD = 'operators only'
const adminEnv = () => ({ ADMIN_UI_USERNAME: 'ops', ADMIN_UI_PASSWORD_HASH: hashSync(PASSWORD, 4), ADMIN_UI_MODE: 'development' })

/** For `addInitScript`: keeps every CSP violation the page reports in `window.hubbubCsp`. */
function recordCspViolations () {
  const seen: string[] = []
  Object.assign(window, { hubbubCsp: seen })
  document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI}`))
}

/** Signs in through the connection dialog, the server being the page's own origin. */
async function signIn (page: Page, url: string) {
  await page.getByLabel('Server URL').fill(url)
  await page.getByLabel('Username').fill('ops')
  await passwordField(page).fill(PASSWORD)
  await page.getByRole('button', { name: 'Connect' }).click()
  await connectedBadge(page).waitFor()
}

const connectedBadge = (page: Page) => page.getByRole('banner').getByText(/^connected$/i).filter({ visible: true })
const passwordField = (page: Page) => page.getByLabel('Password')

/** The Sockets page, showing the sockets of `namespace`. */
async function showSockets (page: Page, namespace: string) {
  await page.getByRole('link', { name: 'Sockets' }).click()
  await page.getByRole('button', { name: /^Select namespace/ }).click()
  await page.getByRole('option', { name: namespace, exact: true }).click()
}

const nodesSkip = await nodesSkipReason()

describe('admin UI in the browser', () => {
  let browser: Browser | null = null
  before(async () => {
    browser = await launchBrowser()
    mkdirSync(RESULTS_DIR, { recursive: true })
  })
  after(async () => browser?.close())

  /** A fresh page; every request it makes, its CSP violations and errors are checked after `run`. */
  async function withPage (t: TestContext, origin: () => string, run: (page: Page) => Promise<void>) {
    if (!browser) return t.skip(browserSkipReason)
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    context.setDefaultTimeout(15_000)
    await context.addInitScript(recordCspViolations)
    const page = await context.newPage()
    const requests: string[] = []
    page.on('request', (request) => requests.push(request.url()))
    const problems = watchProblems(page)
    try {
      await run(page)
      const elsewhere = requests.filter((url) => new URL(url).origin !== origin())
      assert.deepEqual(elsewhere, [], `every request goes to Hubbub (${requests.length} made)`)
      assert.deepEqual(await page.evaluate(() => (window as unknown as { hubbubCsp: string[] }).hubbubCsp), [], 'no CSP violation')
      assert.deepEqual(problems, [], 'the browser reported no errors')
    } catch (error) {
      await saveFailureScreenshot(page, t.name)
      throw error
    } finally {
      await context.close()
    }
  }

  describe('on one node', () => {
    let app: Awaited<ReturnType<typeof startApp>>
    let chat: Socket
    let username: string
    before(async () => {
      if (!browser) return
      app = await startApp({ env: adminEnv() })
      const user = await registerUser(app.url)
      username = user.user.username
      chat = await connect(app.url, '/chat', { token: user.token })
    })
    after(async () => {
      chat?.close()
      await app?.close()
    })

    it('serves the UI and its fonts itself, signs in, lists a chat socket with its user, and stays signed in across a reload', (t) => withPage(t, () => app.url, async (page) => {
      await page.goto(`${app.url}/admin`)
      assert.equal(new URL(page.url()).pathname, '/admin/')
      await passwordField(page).waitFor()
      // The icon font and Roboto are the packages' own, served here.
      await page.evaluate(() => document.fonts.ready)
      const fonts = await page.evaluate(() => {
        const loaded: string[] = []
        document.fonts.forEach((font) => { if (font.status === 'loaded') loaded.push(font.family.replace(/"/g, '')) })
        return loaded
      })
      assert.ok(fonts.includes('Material Design Icons') && fonts.includes('Roboto'), `expected both fonts loaded, got ${JSON.stringify(fonts)}`)

      await signIn(page, app.url)
      await showSockets(page, '/chat')
      await page.getByRole('cell', { name: chat.id! }).click()
      await page.getByText(`"username": "${username}"`).waitFor()
      await page.screenshot({ path: join(RESULTS_DIR, 'admin-ui-socket.png'), animations: 'disabled' })

      await page.reload()
      await connectedBadge(page).waitFor()
      assert.equal(await passwordField(page).isVisible(), false, 'no password asked again')
    }))
  })

  describe('on two nodes', { skip: nodesSkip }, () => {
    let cluster: Awaited<ReturnType<typeof startNodes>>
    let chat: Socket
    before(async () => {
      if (!browser) return
      cluster = await startNodes(2, { env: adminEnv() })
      const user = await registerUser(cluster.nodes[1]!.url)
      chat = await connect(cluster.nodes[1]!.url, '/chat', { token: user.token })
    })
    after(async () => {
      chat?.close()
      await cluster?.close()
    })

    it('shows, from node 1, both servers and a chat socket connected to node 2', (t) => withPage(t, () => cluster.nodes[0]!.url, async (page) => {
      const url = cluster.nodes[0]!.url
      await page.goto(`${url}/admin/`)
      await signIn(page, url)
      await page.getByRole('link', { name: 'Servers' }).click()
      for (const node of ['node1', 'node2']) await page.getByRole('cell', { name: node, exact: true }).waitFor()
      await page.screenshot({ path: join(RESULTS_DIR, 'admin-ui-servers.png'), animations: 'disabled' })
      await showSockets(page, '/chat')
      await page.getByRole('cell', { name: chat.id! }).waitFor()
    }))
  })
})
