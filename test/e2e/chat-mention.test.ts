import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { RESULTS_DIR } from '../helpers/browser.ts'
import { setDisplayName, twoPeopleSuite } from '../helpers/e2e-people.ts'

const composer = (page: Page) => page.getByRole('textbox', { name: /^Message / })
const people = (page: Page) => page.getByRole('listbox', { name: 'People' })
const lastText = (page: Page) => page.getByRole('log').locator('.message-text').last()
const toasts = (page: Page) => page.getByRole('region', { name: 'New notifications' })

describe('@mention completion in the browser', () => {
  const suite = twoPeopleSuite('/chat/general', 'chat mention')
  const { step } = suite

  it('lists bob for @b, inserts him with the keyboard, and bob sees the mention as his', (t) => step(t, async () => {
    const { alice, bob } = suite
    for (const who of [alice, bob]) await who.page.getByRole('heading', { level: 1, name: 'general' }).waitFor()
    const field = composer(alice.page)
    await field.pressSequentially('Hi @b')
    const list = people(alice.page)
    await list.getByRole('option', { name: '@bob' }).waitFor()
    assert.deepEqual(await list.getByRole('option').allTextContents(), ['@bob'], 'only bob starts with b (alice is not offered herself)')
    assert.equal(await field.getAttribute('aria-activedescendant'), await list.getByRole('option', { selected: true }).getAttribute('id'))
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-mention-completion-light.png'), animations: 'disabled' })
    await field.press('ArrowDown')
    await field.press('Enter')
    await list.waitFor({ state: 'detached' })
    assert.equal(await field.inputValue(), 'Hi @bob ')
    await field.pressSequentially('look')
    await field.press('Enter')
    const mine = lastText(bob.page).filter({ hasText: /^Hi @bob look$/ })
    await mine.waitFor()
    assert.equal(await mine.locator('.mention[data-me]').textContent(), '@bob')
  }))

  it('inserts with a click, closes with Escape, and bob elsewhere gets the notification', (t) => step(t, async () => {
    const { alice, bob } = suite
    await bob.page.goto(`${suite.server.url}/market`)
    await bob.page.getByRole('banner').getByRole('status').filter({ hasText: /^Connected$/ }).waitFor()
    const field = composer(alice.page)
    await field.pressSequentially('@')
    const list = people(alice.page)
    await list.getByRole('option', { name: '@bob' }).waitFor()
    await field.press('Escape')
    await list.waitFor({ state: 'detached' })
    assert.equal(await field.inputValue(), '@', 'Escape closes the list and leaves the text')
    await field.press('Backspace')
    await field.pressSequentially('Ping @BO')
    await list.getByRole('option', { name: '@bob' }).click()
    await list.waitFor({ state: 'detached' })
    assert.equal(await field.inputValue(), 'Ping @bob ')
    await field.press('Enter')
    await toasts(bob.page).getByText('alice mentioned you in #general').waitFor()
  }))

  it('offers bob by his display name with @bob beside it, and says "Bob Builder is typing…"', (t) => step(t, async () => {
    const { alice, bob } = suite
    await bob.page.goto(`${suite.server.url}/chat/general`)
    await bob.page.getByRole('heading', { level: 1, name: 'general' }).waitFor()
    await setDisplayName(bob, 'Bob Builder')
    await setDisplayName(alice, 'Alice Liddell')
    const field = composer(alice.page)
    // A word of the display name finds him, though his username does not start with it.
    await field.pressSequentially('Thanks @bui')
    const list = people(alice.page)
    const option = list.getByRole('option')
    await option.filter({ hasText: 'Bob Builder' }).waitFor()
    assert.deepEqual(await option.allTextContents(), ['Bob Builder@bob'], 'the display name first, the username to type beside it')
    assert.equal(await option.locator('.completion-name').textContent(), 'Bob Builder')
    assert.equal(await option.locator('.completion-secondary').textContent(), '@bob')
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-mention-display-name-light.png'), animations: 'disabled' })
    await field.press('Enter')
    await list.waitFor({ state: 'detached' })
    assert.equal(await field.inputValue(), 'Thanks @bob ', 'the username is what goes in the text')
    await field.fill('')

    await composer(bob.page).pressSequentially('@lid')
    await people(bob.page).getByRole('option').filter({ hasText: 'Alice Liddell' }).waitFor()
    await bob.page.screenshot({ path: join(RESULTS_DIR, 'chat-mention-display-name-dark.png'), animations: 'disabled' })
    await composer(bob.page).press('Escape')

    // Bob is typing (his field is not empty): alice sees him by his display name.
    await composer(bob.page).pressSequentially(' one moment')
    await alice.page.locator('.typing-line').getByText('Bob Builder is typing…').waitFor()
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-typing-display-name-light.png'), animations: 'disabled' })
    await composer(bob.page).fill('')
  }))
})
