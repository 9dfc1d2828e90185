import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

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
