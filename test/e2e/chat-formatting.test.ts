import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { RESULTS_DIR } from '../helpers/browser.ts'
import { twoPeopleSuite } from '../helpers/e2e-people.ts'

const composer = (page: Page) => page.getByRole('textbox', { name: /^Message / })
const log = (page: Page) => page.getByRole('log')
/** The text of the last message in the open room. */
const lastText = (page: Page) => log(page).locator('.message-text').last()

/** Sends `text` from the composer, as typed (fill keeps line breaks), and waits for the ack. */
async function send (page: Page, text: string) {
  await composer(page).fill(text)
  await composer(page).press('Enter')
  await log(page).locator('.message[data-state]').first().waitFor({ state: 'detached' })
}

describe('chat formatting and emoji in the browser', () => {
  const suite = twoPeopleSuite('/chat/general', 'chat formatting')
  const { step } = suite

  it('shows the other user bold, italic, code, quote, list and link as elements', (t) => step(t, async () => {
    const { alice, bob } = suite
    for (const who of [alice, bob]) await who.page.getByRole('heading', { level: 1, name: 'general' }).waitFor()
    await send(alice.page, [
      'Plan for **today**, _carefully_, ~~not~~ with `npm test` and [the docs](https://example.com/docs):',
      '> measure twice',
      '- write the parser',
      '- ship it @bob',
      '```',
      'const a = **not bold**',
      '```'
    ].join('\n'))
    const text = lastText(bob.page)
    await text.locator('strong', { hasText: 'today' }).waitFor()
    assert.equal(await text.locator('em').textContent(), 'carefully')
    assert.equal(await text.locator('s').textContent(), 'not')
    assert.equal(await text.locator('code.md-code').textContent(), 'npm test')
    assert.equal(await text.locator('blockquote').textContent(), 'measure twice')
    assert.deepEqual(await text.locator('ul > li').allTextContents(), ['write the parser', 'ship it @bob'])
    assert.equal(await text.locator('li .mention[data-me]').textContent(), '@bob')
    assert.equal(await text.locator('pre > code').textContent(), 'const a = **not bold**')
    const link = text.getByRole('link', { name: 'the docs' })
    assert.equal(await link.getAttribute('href'), 'https://example.com/docs')
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer nofollow')
    assert.equal(await link.getAttribute('target'), '_blank')
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-formatting-light.png'), animations: 'disabled' })
    await bob.page.screenshot({ path: join(RESULTS_DIR, 'chat-formatting-dark.png'), animations: 'disabled' })
  }))

  it('shows hostile Markdown as text: no dialog, no script, no link but http(s)', (t) => step(t, async () => {
    const { alice, bob } = suite
    const scriptsBefore = await bob.page.evaluate(() => document.scripts.length)
    const payload = '**<img src=x onerror=alert(1)>** [click](javascript:alert(2)) <script>alert(3)</script> <svg onload=alert(4)> [x](&#106;avascript:alert(5))'
    await send(alice.page, payload)
    const text = lastText(bob.page)
    await text.filter({ hasText: '<script>alert(3)</script>' }).waitFor()
    assert.equal(await text.locator('strong').textContent(), '<img src=x onerror=alert(1)>')
    assert.equal(await text.locator('img, svg, script, iframe, a').count(), 0, 'nothing active in the message')
    assert.equal(await bob.page.evaluate(() => document.scripts.length), scriptsBefore, 'no script element added')
    // A round trip after it: had anything run, its dialog would have come first.
    await send(bob.page, 'seen')
    await lastText(alice.page).filter({ hasText: /^seen$/ }).waitFor()
  }))

  it('formats the selection with Ctrl+B and inserts emoji from the picker, by keyboard', (t) => step(t, async () => {
    const { alice, bob } = suite
    const field = composer(alice.page)
    await field.fill('make this bold')
    await field.press('End')
    for (let i = 0; i < 4; i++) await field.press('Shift+ArrowLeft')
    await field.press('Control+b')
    assert.equal(await field.inputValue(), 'make this **bold**')

    await field.press('End')
    await field.press('Space')
    await alice.page.getByRole('button', { name: 'Emoji', exact: true }).click()
    const panel = alice.page.getByRole('dialog', { name: 'Emoji' })
    await panel.getByRole('button', { name: 'grinning face (:grinning:)' }).waitFor()
    await panel.getByRole('tab', { name: 'Food & drink' }).click()
    await panel.getByRole('group', { name: 'Food & drink' }).getByRole('button').first().waitFor()
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-emoji-picker-light.png'), animations: 'disabled' })
    const search = panel.getByRole('searchbox', { name: 'Search emoji' })
    await search.fill('tada')
    await search.press('ArrowDown')
    await alice.page.keyboard.press('Enter')
    await panel.waitFor({ state: 'detached' })
    assert.equal(await field.inputValue(), 'make this **bold** 🎉')
    await field.press('Enter')
    const text = lastText(bob.page)
    await text.locator('strong', { hasText: 'bold' }).waitFor()
    await text.filter({ hasText: 'make this bold 🎉' }).waitFor()

    // The picker in the dark theme, by mouse this time.
    await bob.page.getByRole('button', { name: 'Emoji', exact: true }).click()
    await bob.page.getByRole('dialog', { name: 'Emoji' }).getByRole('button', { name: 'grinning face (:grinning:)' }).waitFor()
    await bob.page.screenshot({ path: join(RESULTS_DIR, 'chat-emoji-picker-dark.png'), animations: 'disabled' })
    await bob.page.getByRole('dialog', { name: 'Emoji' }).getByRole('button', { name: /^red heart/ }).click()
    assert.equal(await composer(bob.page).inputValue(), '❤️')
    await composer(bob.page).fill('')
    // A press anywhere else closes it.
    await bob.page.getByRole('button', { name: 'Emoji', exact: true }).click()
    await bob.page.getByRole('dialog', { name: 'Emoji' }).waitFor()
    await bob.page.getByRole('heading', { level: 1, name: 'general' }).click()
    await bob.page.getByRole('dialog', { name: 'Emoji' }).waitFor({ state: 'detached' })
  }))

  it('completes :shortcodes: with arrows and Enter or Tab, and Escape closes the list', (t) => step(t, async () => {
    const { alice, bob } = suite
    const field = composer(alice.page)
    await field.fill('')
    await field.pressSequentially('Party :tad')
    const list = alice.page.getByRole('listbox', { name: 'Emoji' })
    await list.getByRole('option', { name: /:tada:/ }).waitFor()
    assert.equal(await list.getByRole('option', { selected: true }).textContent(), '🎉:tada:')
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-emoji-completion-light.png'), animations: 'disabled' })
    await field.press('Tab')
    await list.waitFor({ state: 'detached' })
    assert.equal(await field.inputValue(), 'Party 🎉')

    await field.pressSequentially(' :smi')
    await list.waitFor()
    await field.press('Escape')
    await list.waitFor({ state: 'detached' })
    assert.equal(await field.inputValue(), 'Party 🎉 :smi')

    await field.pressSequentially('le')
    for (let i = 0; i < ':smile'.length; i++) await field.press('Backspace')
    await field.pressSequentially(':+1')
    await list.getByRole('option', { name: /:\+1:/ }).waitFor()
    await field.press('ArrowDown')
    await field.press('ArrowUp')
    await field.press('Enter')
    const thumbsUp = '\u{1F44D}\u{FE0F}' // emojibase's form, with the emoji presentation selector
    assert.equal(await field.inputValue(), `Party 🎉 ${thumbsUp}`)
    await field.press('Enter')
    await lastText(bob.page).filter({ hasText: new RegExp(`^Party 🎉 ${thumbsUp}$`, 'u') }).waitFor()
  }))
})
