import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { RESULTS_DIR } from '../helpers/browser.ts'
import { twoPeopleSuite } from '../helpers/e2e-people.ts'

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Rooms' })
const browseList = (page: Page) => page.getByRole('region', { name: 'Public rooms to join' })
const infoPanel = (page: Page) => page.getByRole('complementary', { name: 'Room info and members' })
const roomHeading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name })
const openInfo = (page: Page) => page.getByRole('button', { name: /^Members, \d+ online$/ }).click()
/** A public room listed to browse, not joined: what a screen reader hears besides its name. */
const toBrowse = async (page: Page, name: string, members: number) => {
  const description = `Not joined, ${members} ${members === 1 ? 'member' : 'members'}. Open it to join.`
  const link = browseList(page).getByRole('link', { name, exact: true }).and(page.locator(`[aria-description="${description}"]`))
  await link.waitFor()
  assert.equal(await link.getAttribute('data-joined'), 'false', 'a room not joined looks different')
  return link
}

describe('rooms in the browser: browse, join, change, leave', () => {
  const suite = twoPeopleSuite('/chat', 'chat rooms')
  const { step } = suite

  it('lists a new public room to bob as not joined, and he joins it by opening it', (t) => step(t, async () => {
    const { alice, bob } = suite
    await sidebar(alice.page).getByRole('button', { name: 'New room' }).click()
    const dialog = alice.page.getByRole('dialog', { name: 'New room' })
    await dialog.getByLabel('Name').fill('book club')
    await dialog.getByLabel('Topic (optional)').fill('One book a month')
    await dialog.getByRole('button', { name: 'Create room' }).click()
    await roomHeading(alice.page, 'book club').waitFor()

    const toJoin = await toBrowse(bob.page, 'book club', 1)
    await bob.page.screenshot({ path: join(RESULTS_DIR, 'chat-rooms-browse-dark.png'), animations: 'disabled' })
    await toJoin.click()
    await roomHeading(bob.page, 'book club').waitFor()
    await sidebar(bob.page).getByRole('link', { name: 'book club', exact: true }).waitFor()
    assert.equal(await browseList(bob.page).getByRole('link', { name: 'book club' }).count(), 0, 'no longer listed to browse')
  }))

  it('shows alice, the owner, the room info panel; her rename and topic reach bob live', (t) => step(t, async () => {
    const { alice, bob } = suite
    await openInfo(alice.page)
    const panel = infoPanel(alice.page)
    await panel.getByText('One book a month').waitFor()
    await panel.getByRole('listitem').filter({ hasText: 'bob' }).waitFor()
    assert.equal(await panel.getByRole('listitem').filter({ hasText: 'alice' }).locator('.role-tag').textContent(), 'owner')

    await panel.getByRole('button', { name: 'Edit name and topic' }).click()
    const dialog = alice.page.getByRole('dialog', { name: 'Edit book club' })
    await dialog.getByLabel('Name').fill('readers')
    await dialog.getByLabel('Topic').fill('Chapter 3 on Friday')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await dialog.waitFor({ state: 'detached' })

    await roomHeading(bob.page, 'readers').waitFor()
    await bob.page.locator('.room-topic').filter({ hasText: 'Chapter 3 on Friday' }).waitFor()
    await sidebar(bob.page).getByRole('link', { name: 'readers', exact: true }).waitFor()

    await panel.getByRole('button', { name: 'Make bob an admin' }).click()
    await panel.getByRole('listitem').filter({ hasText: 'bob' }).locator('.role-tag').filter({ hasText: 'admin' }).waitFor()
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-rooms-info-light.png'), animations: 'disabled' })
  }))

  it('gives bob, now an admin, the edit button but not the owner\'s; he leaves, and the room is one to browse again', (t) => step(t, async () => {
    const { alice, bob } = suite
    await openInfo(bob.page)
    const panel = infoPanel(bob.page)
    await panel.getByRole('button', { name: 'Edit name and topic' }).waitFor()
    assert.equal(await panel.getByRole('button', { name: /Remove alice/ }).count(), 0, 'nobody removes the owner')
    await bob.page.screenshot({ path: join(RESULTS_DIR, 'chat-rooms-info-admin-dark.png'), animations: 'disabled' })

    await panel.getByRole('button', { name: 'Leave room' }).click()
    await bob.page.getByRole('dialog', { name: 'Leave readers?' }).getByRole('button', { name: 'Leave' }).click()
    await toBrowse(bob.page, 'readers', 1)
    assert.equal(new URL(bob.page.url()).pathname, '/chat', 'back to the rooms')
    await infoPanel(alice.page).getByRole('listitem').filter({ hasText: 'bob' }).waitFor({ state: 'detached' })
  }))
})
