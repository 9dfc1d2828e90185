import type { Locator, Page } from 'playwright-core'

/** Locators and steps of the chat as a person sees it, shared by the chat e2e tests. */

export const topBar = (page: Page) => page.getByRole('banner')
export const connected = (page: Page) => topBar(page).getByRole('status').filter({ hasText: /^Connected$/ }).waitFor()
export const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Rooms' })
export const log = (page: Page) => page.getByRole('log')
export const composer = (page: Page) => page.getByRole('textbox', { name: /^Message / })
export const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\(edited\\))?$`)
/** The text of a message in the open room that reads exactly `text` (perhaps marked edited). */
export const messageText = (page: Page, text: string) => log(page).locator('.message-text').filter({ hasText: exactly(text) })
/** For `has:` filters: a message text reading `text`, relative to the outer locator. */
export const textIs = (page: Page, text: string) => page.locator('.message-text').filter({ hasText: exactly(text) })
/** The whole message (author, time, text, actions) around that text. */
export const messageWith = (page: Page, text: string): Locator => log(page).getByRole('article').filter({ has: textIs(page, text) })

export async function send (page: Page, text: string) {
  await composer(page).fill(text)
  await composer(page).press('Enter')
  // Acknowledged: the message is in the list and no longer pending.
  await messageWith(page, text).last().waitFor()
  await log(page).locator('.message[data-state]').filter({ has: textIs(page, text) }).waitFor({ state: 'detached' })
}

export async function openRoom (page: Page, name: string) {
  await sidebar(page).getByRole('link', { name: new RegExp(`^${name}(, \\d+ unread)?$`) }).click()
  await page.getByRole('heading', { level: 1, name }).waitFor()
}
