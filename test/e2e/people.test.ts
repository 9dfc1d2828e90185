import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { RESULTS_DIR } from '../helpers/browser.ts'
import { twoPeopleSuite } from '../helpers/e2e-people.ts'

const composer = (page: Page) => page.getByRole('textbox', { name: /^Message / })
const log = (page: Page) => page.getByRole('log')
const shot = (page: Page, name: string) => page.screenshot({ path: join(RESULTS_DIR, `${name}.png`), animations: 'disabled' })

describe('people in the browser', () => {
  const suite = twoPeopleSuite('/chat/general', 'people')
  const { step } = suite

  it('alice sets a display name and a status; bob sees them live, opens her card and messages her', (t) => step(t, async () => {
    const { alice, bob } = suite
    for (const who of [alice, bob]) await who.page.getByRole('heading', { level: 1, name: 'general' }).waitFor()
    await composer(alice.page).fill('hello from alice')
    await composer(alice.page).press('Enter')
    const aliceOnBob = log(bob.page).getByRole('button', { name: 'alice (@alice): profile' }).last()
    await aliceOnBob.waitFor()

    await alice.page.getByRole('banner').getByRole('button', { name: 'alice' }).click()
    await alice.page.getByRole('menuitem', { name: 'Edit profile' }).click()
    const settings = alice.page.getByRole('dialog', { name: 'Your profile' })
    await settings.getByLabel('Display name').fill('Alice Liddell')
    await settings.getByLabel('Status', { exact: true }).fill('Down the rabbit hole 🐇')
    await settings.getByLabel('Clear status after').selectOption({ label: '1 hour' })
    await settings.getByLabel('Time zone').selectOption('Asia/Tokyo')
    await shot(alice.page, 'people-settings-light')
    // A display name on two lines is refused before anything is sent.
    await settings.getByLabel('Display name').fill('Alice\u0007')
    await settings.getByText('must be one line').waitFor()
    await settings.getByLabel('Display name').fill('Alice Liddell')
    await settings.getByRole('button', { name: 'Save profile' }).click()
    await settings.waitFor({ state: 'detached' })
    await alice.page.getByRole('banner').getByRole('button', { name: 'Alice Liddell' }).waitFor()

    // Bob did nothing: the push renamed her message on his screen.
    const renamed = log(bob.page).getByRole('button', { name: 'Alice Liddell (@alice): profile' }).last()
    await renamed.waitFor()
    assert.equal(await renamed.textContent(), 'Alice Liddell')
    await renamed.click()
    const card = bob.page.getByRole('dialog', { name: 'Profile of Alice Liddell' })
    await card.getByText('@alice').waitFor()
    await card.getByText('Down the rabbit hole 🐇').waitFor()
    await card.getByText('Asia/Tokyo').waitFor()
    assert.match(await card.textContent() ?? '', /\d{1,2}:\d\d(\s?[AP]M)? local time/)
    await shot(bob.page, 'people-card-dark')
    await bob.page.keyboard.press('Escape')
    await card.waitFor({ state: 'detached' })
    assert.equal(await bob.page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Alice Liddell (@alice): profile', 'Escape gives focus back')

    await renamed.click()
    await card.getByRole('button', { name: 'Message' }).click()
    await bob.page.waitForURL((url) => url.pathname !== '/chat/general')
    // The conversation is named after her display name, in its heading and in the sidebar.
    await bob.page.getByRole('heading', { level: 1, name: 'Alice Liddell' }).waitFor()
    await bob.page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: 'Alice Liddell' }).waitFor()
    await bob.page.getByRole('textbox', { name: 'Message Alice Liddell' }).waitFor()
    await composer(bob.page).fill('hi Alice!')
    await composer(bob.page).press('Enter')
    await log(bob.page).getByText('hi Alice!').waitFor()
    // Search names the conversation the same way.
    await bob.page.getByRole('banner').getByRole('button', { name: 'Search messages' }).click()
    const search = bob.page.getByRole('dialog', { name: 'Search messages' })
    await search.getByRole('combobox', { name: 'Search messages' }).fill('alice')
    await search.getByRole('option').filter({ hasText: 'hi Alice!' }).locator('.search-hit-room').filter({ hasText: 'Alice Liddell' }).waitFor()
    await bob.page.keyboard.press('Escape')
  }))

  it('alice finds bob in the people directory and opens their conversation', (t) => step(t, async () => {
    const { alice } = suite
    await alice.page.getByRole('banner').getByRole('button', { name: 'People' }).click()
    const directory = alice.page.getByRole('dialog', { name: 'People' })
    await directory.getByRole('searchbox').fill('bo')
    const found = directory.getByRole('list', { name: 'People found' })
    await found.getByText('@bob').waitFor()
    // Everyone is listed before the query's answer comes: alice leaves the list when it does.
    await found.getByText('@alice').waitFor({ state: 'detached' })
    assert.deepEqual(await found.locator('.people-username').allTextContents(), ['@bob'])
    await directory.getByRole('searchbox').fill('liddell')
    await found.getByText('@alice').waitFor()
    await found.getByText('Down the rabbit hole 🐇').waitFor()
    await shot(alice.page, 'people-directory-light')
    await directory.getByRole('searchbox').fill('bob')
    await found.getByText('@bob').waitFor()
    await found.getByRole('button', { name: 'Message bob' }).click()
    await directory.waitFor({ state: 'detached' })
    await alice.page.getByRole('heading', { level: 1, name: 'bob' }).waitFor()
    await log(alice.page).getByText('hi Alice!').waitFor()
    await shot(alice.page, 'people-dm-light')
  }))

  it('fits a phone: the card and the directory stay on screen', (t) => step(t, async () => {
    const { bob } = suite
    await bob.page.setViewportSize({ width: 360, height: 740 })
    await bob.page.getByRole('banner').getByRole('button', { name: 'People' }).click()
    const directory = bob.page.getByRole('dialog', { name: 'People' })
    await directory.getByRole('list', { name: 'People found' }).getByText('@alice').waitFor()
    const box = await directory.boundingBox()
    assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `the directory fits 360 px: ${JSON.stringify(box)}`)
    await shot(bob.page, 'people-directory-phone-dark')
    await bob.page.keyboard.press('Escape')
    await directory.waitFor({ state: 'detached' })
  }))
})
