import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

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
