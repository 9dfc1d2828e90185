import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { RESULTS_DIR } from '../helpers/browser.ts'
import { twoPeopleSuite } from '../helpers/e2e-people.ts'

const composer = (page: Page) => page.getByRole('textbox', { name: /^Message / })
const log = (page: Page) => page.getByRole('log')
const messageWith = (page: Page, text: string) => log(page).locator('article.message').filter({ hasText: text })
const panel = (page: Page) => page.getByRole('complementary', { name: 'Thread' })
const replyField = (page: Page) => panel(page).getByRole('textbox', { name: 'Reply in thread' })

describe('threads in the browser', () => {
  const suite = twoPeopleSuite('/chat/general', 'chat thread')
  const { step } = suite

  it('opens a thread from a message, replies, and bob sees the count and the reply live', (t) => step(t, async () => {
    const { alice, bob } = suite
    for (const who of [alice, bob]) await who.page.getByRole('heading', { level: 1, name: 'general' }).waitFor()
    await composer(alice.page).pressSequentially('Which chart do we use?')
    await composer(alice.page).press('Enter')
    const onBob = messageWith(bob.page, 'Which chart do we use?')
    await onBob.waitFor()

    // Bob opens the thread from the message's menu and replies.
    await onBob.hover()
    await onBob.getByRole('button', { name: 'Message actions' }).click()
    await bob.page.getByRole('menuitem', { name: 'Reply in thread' }).click()
    const bobPanel = panel(bob.page)
    await bobPanel.getByText('Which chart do we use?').waitFor()
    await bobPanel.getByRole('button', { name: 'Follow' }).waitFor()
    await replyField(bob.page).pressSequentially('The candles, <b>surely</b>')
    await replyField(bob.page).press('Enter')
    await bobPanel.getByRole('list', { name: 'Replies' }).getByText('The candles, <b>surely</b>').waitFor()
    await bobPanel.getByRole('button', { name: 'Following' }).waitFor()

    // Alice sees the count under her message, live, and not the reply in the room.
    const summary = messageWith(alice.page, 'Which chart do we use?').getByRole('button', { name: /^1 reply/ })
    await summary.waitFor()
    assert.equal(await log(alice.page).getByText('The candles').count(), 0, 'a thread-only reply stays out of the room')
    await summary.click()
    const alicePanel = panel(alice.page)
    await alicePanel.getByRole('list', { name: 'Replies' }).getByText('The candles, <b>surely</b>').waitFor()
    assert.equal(await alicePanel.locator('b').count(), 0, 'text rendered as text')
    await alicePanel.getByRole('button', { name: 'Following' }).waitFor()

    // Alice answers in the thread and in the room: bob sees the reply in his panel and in the room.
    await replyField(alice.page).pressSequentially('Agreed, candles it is')
    await alicePanel.getByRole('checkbox', { name: 'Also send to #general' }).check()
    await replyField(alice.page).press('Enter')
    await bobPanel.getByRole('list', { name: 'Replies' }).getByText('Agreed, candles it is').waitFor()
    await messageWith(bob.page, 'Agreed, candles it is').getByRole('button', { name: 'Replied in a thread' }).waitFor()
    await messageWith(bob.page, 'Which chart do we use?').getByRole('button', { name: /^2 replies/ }).waitFor()
    await bobPanel.getByText('2 replies').first().waitFor()
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-thread-light.png'), animations: 'disabled' })
    await bob.page.screenshot({ path: join(RESULTS_DIR, 'chat-thread-dark.png'), animations: 'disabled' })

    // Escape in the reply field closes the panel.
    await replyField(bob.page).press('Escape')
    await bobPanel.waitFor({ state: 'detached' })
  }))
})
