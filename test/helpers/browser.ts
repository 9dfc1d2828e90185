import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { TestContext } from 'node:test'
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core'

export const CHROMIUM_PATH = '/usr/bin/chromium'

/**
 * Debian's Chromium driven by playwright-core. Returns null when it is not installed, so a
 * developer without it sees a skipped test; in CI (or with HUBBUB_REQUIRE_BROWSER) that is an error.
 */
export async function launchBrowser (): Promise<Browser | null> {
  if (!existsSync(CHROMIUM_PATH)) {
    if (process.env.CI || process.env.HUBBUB_REQUIRE_BROWSER) {
      throw new Error(`Chromium is required but ${CHROMIUM_PATH} does not exist (apt-get install chromium).`)
    }
    return null
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync'
    ]
  })
}

export const browserSkipReason = `Chromium not found at ${CHROMIUM_PATH}; set HUBBUB_REQUIRE_BROWSER=1 to make this an error.`

/** Where the end-to-end tests save their screenshots (gitignored). */
export const RESULTS_DIR = resolve(import.meta.dirname, '..', '..', 'test-results')

/** The password of every user the browser tests register. */
export const E2E_PASSWORD = 'correct horse battery'

/**
 * Collects what the browser complained about: uncaught errors and console errors (CSP refusals
 * included). Chromium logs every failed request: 4xx answers (the 401 of /api/auth/me when signed
 * out) as "Failed to load resource", and, offline, the refused socket polls; those are expected.
 */
export function watchProblems (page: Page, problems: string[] = []) {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    const text = message.text()
    if (message.type() === 'error' && !text.startsWith('Failed to load resource') && !text.includes('net::ERR_INTERNET_DISCONNECTED')) {
      problems.push(`console error: ${text}`)
    }
  })
  return problems
}

/**
 * Saves a full-page screenshot of a failed test's page in test-results/, named after the test
 * (and `part`, when one test has several pages); never throws, so the test's own error stands.
 */
export async function saveFailureScreenshot (page: Page, testName: string, part?: string) {
  const name = [testName, part].filter(Boolean).join(' ').replace(/[^a-z0-9]+/gi, '-').toLowerCase()
  await page.screenshot({ path: join(RESULTS_DIR, `failure-${name}.png`), fullPage: true }).catch(() => {})
}

/** Someone in a browser test: their page and what their browser complained about (`watchProblems`). */
export interface BrowserPerson {
  name: string
  page: Page
  problems: string[]
}

/**
 * Runs a step of a browser test with several people: skipped without Chromium (`ready` false);
 * afterwards no one's browser may have reported a problem; on failure each one's page is saved
 * as a screenshot in test-results/, named after `suite` and the test.
 */
export async function browserStep (t: TestContext, suite: string, ready: boolean, people: () => BrowserPerson[], run: () => Promise<void>) {
  if (!ready) return t.skip(browserSkipReason)
  try {
    await run()
    for (const who of people()) assert.deepEqual(who.problems, [], `${who.name}'s browser reported no errors`)
  } catch (error) {
    for (const who of people()) await saveFailureScreenshot(who.page, `${suite} ${t.name}`, who.name)
    throw error
  }
}

/**
 * Runs `run` on a page of a fresh context (en-US) whose newly registered user is signed in, with
 * the user's token; the browser must report no errors, and a failure leaves a screenshot in test-results/.
 */
export async function withRegisteredUser (
  browser: Browser,
  url: string,
  t: TestContext,
  username: string,
  options: BrowserContextOptions,
  run: (page: Page, token: string) => Promise<void>
) {
  const context = await browser.newContext({ locale: 'en-US', ...options })
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()
  const problems = watchProblems(page)
  try {
    // Registering through the context's request API gives the page its session cookie.
    const registered = await page.request.post(`${url}/api/auth/register`, { data: { username, password: E2E_PASSWORD } })
    assert.equal(registered.status(), 201, 'the user was registered')
    const { token } = await registered.json() as { token: string }
    await run(page, token)
    assert.deepEqual(problems, [], 'the browser reported no errors')
  } catch (error) {
    await saveFailureScreenshot(page, t.name)
    throw error
  } finally {
    await context.close()
  }
}

/**
 * Watches the element until `texts` of its text nodes changed, and counts the nodes added or
 * removed under it meanwhile: a view that streams in place changes texts and adds no nodes.
 */
export const streamChurn = (locator: Locator, texts: number) => locator.evaluate((element, wanted) => new Promise<{ structural: number, texts: number }>((resolve) => {
  let structural = 0
  let changed = 0
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'childList') structural++
      else if (record.type === 'characterData') changed++
    }
    if (changed >= wanted) {
      observer.disconnect()
      resolve({ structural, texts: changed })
    }
  })
  observer.observe(element, { subtree: true, childList: true, characterData: true })
}), texts)

/** Polls `read` until `accept` holds for its value (no fixed sleeps); fails with the last value seen. */
export async function until<T> (what: string, read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T = await read()
  while (!accept(last)) {
    if (Date.now() > deadline) assert.fail(`expected ${what} within ${timeoutMs} ms; last saw ${JSON.stringify(last)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
    last = await read()
  }
  return last
}

export type Scheme = 'light' | 'dark'

/**
 * Colour tokens (CSS custom properties) as each theme of the page's stylesheets declares them:
 * the light theme's in the `:root` rule, the dark theme's in the `:root` rule inside
 * `@media (prefers-color-scheme: dark)`, each as the browser computes it (`rgb(…)`). So a test
 * can tell that an element wears one theme's own colours, not just "not white". Fails naming
 * what it found when a theme lacks a token (no stylesheet, or no dark theme).
 */
export async function themeTokens (page: Page, names: string[]): Promise<Record<Scheme, Record<string, string>>> {
  const found = await page.evaluate((names) => {
    const declared: Record<'light' | 'dark', Record<string, string>> = { light: {}, dark: {} }
    const read = (rules: CSSRuleList, scheme: 'light' | 'dark') => {
      for (const rule of Array.from(rules)) {
        if (rule instanceof CSSStyleRule && rule.selectorText === ':root') {
          for (const name of names) {
            const value = rule.style.getPropertyValue(name).trim()
            if (value !== '') declared[scheme][name] = value
          }
        } else if (rule instanceof CSSMediaRule && /prefers-color-scheme:\s*dark/.test(rule.conditionText)) {
          read(rule.cssRules, 'dark')
        }
      }
    }
    for (const sheet of Array.from(document.styleSheets)) read(sheet.cssRules, 'light')
    // A probe element resolves each declared colour the way the browser computes colours.
    const probe = document.createElement('div')
    document.body.append(probe)
    const computed = (value: string) => {
      probe.style.color = value
      return getComputedStyle(probe).color
    }
    const resolved = {
      light: Object.fromEntries(Object.entries(declared.light).map(([name, value]) => [name, computed(value)])),
      dark: Object.fromEntries(Object.entries(declared.dark).map(([name, value]) => [name, computed(value)]))
    }
    probe.remove()
    return resolved
  }, names)
  for (const scheme of ['light', 'dark'] as const) {
    for (const name of names) {
      assert.ok(found[scheme][name], `expected ${name} in the ${scheme} theme of the stylesheets; found ${JSON.stringify(found)}`)
    }
  }
  return found
}

/** An element's computed background and text colours. */
export const colours = (locator: Locator) => locator.evaluate((element) => {
  const style = getComputedStyle(element)
  return { background: style.backgroundColor, color: style.color }
})

/**
 * Records, in the page, every element matching `selector` that is in the document or is added
 * to it from now on (a toast that comes and goes included); the returned function reads their
 * texts, taking the pending DOM changes into account first.
 */
export async function watchAppearances (page: Page, selector: string): Promise<() => Promise<string[]>> {
  const key = `hubbubSeen:${selector}`
  await page.evaluate(({ key, selector }) => {
    const seen: string[] = []
    const note = (node: Node) => {
      if (!(node instanceof Element)) return
      for (const element of [node, ...Array.from(node.querySelectorAll(selector))]) {
        if (element.matches(selector)) seen.push(element.textContent ?? '')
      }
    }
    const observer = new MutationObserver((records) => { for (const record of records) record.addedNodes.forEach(note) })
    observer.observe(document.documentElement, { childList: true, subtree: true })
    note(document.documentElement)
    Object.assign(window, { [key]: { seen, observer, note } })
  }, { key, selector })
  return () => page.evaluate((key) => {
    const { seen, observer, note } = (window as unknown as Record<string, { seen: string[], observer: MutationObserver, note: (node: Node) => void }>)[key]!
    for (const record of observer.takeRecords()) record.addedNodes.forEach(note)
    return [...seen]
  }, key)
}

/**
 * For `context.addInitScript`: keeps, in order, the text of every Engine.IO packet the page sends
 * (over a WebSocket, or long-polling before the upgrade) in `window.hubbubSent`, so a test can read
 * what the page had sent by a given moment, in the same task as something it does (Playwright's
 * frame events arrive later, on their own, and see no long-polling).
 */
export function recordSentFrames () {
  const log: string[] = []
  Object.assign(window, { hubbubSent: log })
  const send = WebSocket.prototype.send
  WebSocket.prototype.send = function (this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
    if (typeof data === 'string') log.push(data)
    return send.call(this, data)
  }
  // Before the upgrade to a WebSocket, Engine.IO sends over HTTP long-polling: packets separated by \x1e.
  const urls = new WeakMap<XMLHttpRequest, string>()
  const open = XMLHttpRequest.prototype.open as (this: XMLHttpRequest, ...args: unknown[]) => void
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
    urls.set(this, String(args[1]))
    return open.apply(this, args)
  } as typeof XMLHttpRequest.prototype.open
  const post = XMLHttpRequest.prototype.send
  XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    if (typeof body === 'string' && urls.get(this)?.includes('EIO=')) log.push(...body.split('\x1e'))
    return post.call(this, body)
  }
}

/**
 * The commands in Socket.IO frames a page sent (`42/chat,7["chat:join",{…}]` is `chat:join`), in
 * order, each marked ` (before)` when its payload names a `before` (a request for an older page).
 */
export const sentCommands = (frames: string[]) => frames.flatMap((frame) => {
  const event = /^\d+(?:\/[^,]*,)?\d*\["([^"]+)"/.exec(frame)?.[1]
  return event === undefined ? [] : [frame.includes('"before":') ? `${event} (before)` : event]
})
