import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { after, before, type TestContext } from 'node:test'
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import type { Socket } from 'socket.io-client'
import { SESSION_COOKIE } from '../../shared/auth.ts'
import { browserStep, E2E_PASSWORD, launchBrowser, RESULTS_DIR, watchProblems } from './browser.ts'
import { spawnServer, type SpawnedServer } from './spawn-server.ts'
import { connect } from './sockets.ts'

/** One user of a two-person browser test, with what their page complained about. */
export interface Person {
  name: string
  context: BrowserContext
  page: Page
  problems: string[]
  dialogs: string[]
}

/** Uncaught errors, console errors (CSP refusals included) and any alert/confirm/prompt. */
export function watchPage (page: Page, problems: string[], dialogs: string[]) {
  watchProblems(page, problems)
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`)
    dialog.dismiss().catch(() => {})
  })
}

/**
 * A new user in a browser context of their own (1280x800 unless `options` say otherwise): opens
 * `url`, creates the account and waits until the top bar shows them signed in and connected.
 * `init` runs in every page of the context before the app (e.g. recordSentFrames).
 */
export async function signUpInBrowser (browser: Browser, url: string, name: string, options: BrowserContextOptions, init?: () => void): Promise<Person> {
  const who = await openPerson(browser, name, options, async (context) => { if (init) await context.addInitScript(init) })
  const { page } = who
  await page.goto(url)
  await page.getByRole('tab', { name: 'Create account' }).click()
  await page.getByLabel('Username').fill(name)
  await page.getByLabel('Password', { exact: true }).fill(E2E_PASSWORD)
  await page.getByLabel('Password', { exact: true }).press('Enter')
  const topBar = page.getByRole('banner')
  await topBar.getByRole('button', { name }).waitFor()
  await topBar.getByRole('status').filter({ hasText: /^Connected$/ }).waitFor()
  return who
}

/**
 * A user registered over HTTP (`registerUser`) in a browser context of their own (1280x800 unless
 * `options` say otherwise) that carries their session cookie: signed in on the first load, no form.
 * `prepare` runs on the context before its page opens (init scripts, say). The page is blank.
 */
export async function signedInBrowser (browser: Browser, url: string, name: string, user: { cookie: string }, options: BrowserContextOptions, prepare?: (context: BrowserContext) => Promise<unknown>): Promise<Person> {
  return openPerson(browser, name, options, async (context) => {
    await addSessionCookie(context, url, user)
    await prepare?.(context)
  })
}

/** Gives `context` the session cookie of `user` (`registerUser`'s `cookie`): its pages of `url` load signed in. */
export const addSessionCookie = (context: BrowserContext, url: string, user: { cookie: string }) =>
  context.addCookies([{ name: SESSION_COOKIE, value: user.cookie.split('=').slice(1).join('='), url }])

async function openPerson (browser: Browser, name: string, options: BrowserContextOptions, prepare: (context: BrowserContext) => Promise<unknown>): Promise<Person> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options })
  context.setDefaultTimeout(15_000)
  await prepare(context)
  const page = await context.newPage()
  const problems: string[] = []
  const dialogs: string[] = []
  watchPage(page, problems, dialogs)
  return { name, context, page, problems, dialogs }
}

/** Another tab of `who`, in their context, whose errors and dialogs count as theirs. */
export async function anotherTab (who: Person) {
  const page = await who.context.newPage()
  watchPage(page, who.problems, who.dialogs)
  return page
}

/** Sets `who`'s display name through the profile settings; resolves once their top bar shows it. */
export async function setDisplayName (who: Person, displayName: string) {
  const topBar = who.page.getByRole('banner')
  await topBar.locator('.user-menu-name').click()
  await who.page.getByRole('menuitem', { name: 'Edit profile' }).click()
  const settings = who.page.getByRole('dialog', { name: 'Your profile' })
  await settings.getByLabel('Display name').fill(displayName)
  await settings.getByRole('button', { name: 'Save profile' }).click()
  await settings.waitFor({ state: 'detached' })
  await topBar.getByRole('button', { name: displayName }).waitFor()
}

/**
 * Runs one test of people in browsers: skipped when `people` is null (no Chromium); after it, no
 * one's page may have reported an error or opened a dialog; on failure, a screenshot of each page
 * lands in test-results/, named `<prefix> <test name> <person>`.
 */
export const peopleStep = (t: TestContext, people: Person[] | null, prefix: string, run: () => Promise<void>) =>
  browserStep(t, prefix, people !== null, () => people ?? [], async () => {
    await run()
    for (const who of people!) assert.deepEqual(who.dialogs, [], `${who.name}'s page opened no dialogs`)
  })

/**
 * Chromium, the server as a child process and two users signed up at `path`: alice in the light
 * theme, bob in the dark one. Null without Chromium (the tests skip). Stops what it started if
 * a step fails.
 */
export async function startTwoPeople (path: string, init?: () => void) {
  const browser = await launchBrowser()
  if (!browser) return null
  let server: SpawnedServer | null = null
  try {
    server = await spawnServer()
    mkdirSync(RESULTS_DIR, { recursive: true })
    const alice = await signUpInBrowser(browser, `${server.url}${path}`, 'alice', { colorScheme: 'light' }, init)
    const bob = await signUpInBrowser(browser, `${server.url}${path}`, 'bob', { colorScheme: 'dark' }, init)
    return { browser, server, alice, bob }
  } catch (error) {
    await stopTwoPeople(browser, server)
    throw error
  }
}

export async function stopTwoPeople (browser: Browser | null, server: SpawnedServer | null) {
  await browser?.close()
  await server?.stop()
}

/**
 * For a `describe` of two people: startTwoPeople(`path`) before its tests, everything stopped
 * after them, and `step` for each test (skipped without Chromium; failures named `prefix ...`).
 * Read `alice`, `bob` and `server` inside a test, once `before` has run.
 */
export function twoPeopleSuite (path: string, prefix: string, init?: () => void) {
  let started: Awaited<ReturnType<typeof startTwoPeople>> = null
  before(async () => { started = await startTwoPeople(path, init) })
  after(() => stopTwoPeople(started?.browser ?? null, started?.server ?? null))
  return {
    get alice () { return started!.alice },
    get bob () { return started!.bob },
    get server () { return started!.server },
    step: (t: TestContext, run: () => Promise<void>) => peopleStep(t, started ? [started.alice, started.bob] : null, prefix, run)
  }
}

/**
 * For a `describe` whose people sign in their own way: Chromium and the server (`env` added to its
 * environment) started before its tests, and after them the sockets opened by `socketOf`, the
 * browser and the server stopped. `step` runs a test (skipped without Chromium; after it no one of
 * `people`, read when it ends, may have reported an error or opened a dialog; failures named
 * `prefix ...`). Read `url` and call the others inside a test or a later `before`, once `ready`.
 */
export function browserSuite (prefix: string, env: Record<string, string> = {}) {
  let browser: Browser | null = null
  let server: SpawnedServer | null = null
  const sockets: Socket[] = []
  before(async () => {
    browser = await launchBrowser()
    if (!browser) return
    server = await spawnServer(env)
    mkdirSync(RESULTS_DIR, { recursive: true })
  })
  after(async () => {
    for (const socket of sockets) socket.close()
    await stopTwoPeople(browser, server)
  })
  return {
    get ready () { return browser !== null && server !== null },
    get browser () { return browser! },
    get url () { return server!.url },
    /** `user` (registered over HTTP) signed in, in a browser context of their own: see signedInBrowser. */
    signedIn: (name: string, user: { cookie: string }, options: BrowserContextOptions, prepare?: (context: BrowserContext) => Promise<unknown>) =>
      signedInBrowser(browser!, server!.url, name, user, options, prepare),
    /** A socket.io-client of a user on a namespace, closed after the suite. */
    socketOf: async (token: string, namespace: string) => {
      const socket = await connect(server!.url, namespace, { token })
      sockets.push(socket)
      return socket
    },
    step: (t: TestContext, people: Person[], run: () => Promise<void>) => peopleStep(t, browser && server ? people : null, prefix, run)
  }
}
