import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { RESULTS_DIR } from '../helpers/browser.ts'
import { composer, exactly, log, messageWith, topBar } from '../helpers/e2e-chat.ts'
import { twoPeopleSuite } from '../helpers/e2e-people.ts'

const panel = (page: Page) => page.getByRole('complementary', { name: 'Thread' })
const replyField = (page: Page) => panel(page).getByRole('textbox', { name: 'Reply in thread' })
/** A message in the thread panel (root or reply) whose text reads exactly `text` (perhaps marked edited). */
const inPanel = (page: Page, text: string) => panel(page).getByRole('article').filter({ has: page.locator('.message-text').filter({ hasText: exactly(text) }) })

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

    // The thread is one Tab stop (its newest reply), arrows inside it, as the room's list.
    const stops = bobPanel.locator('article.message[tabindex="0"]')
    assert.equal(await stops.count(), 1, 'one Tab stop in the thread')
    await stops.focus()
    const focusedText = () => bob.page.evaluate(() => document.activeElement?.closest('article.message')?.querySelector('.message-text')?.textContent ?? '')
    assert.equal(await focusedText(), 'Agreed, candles it is')
    await bob.page.keyboard.press('Home')
    assert.equal(await focusedText(), 'Which chart do we use?', 'Home: the root')
    await bob.page.keyboard.press('ArrowDown')
    assert.equal(await focusedText(), 'The candles, <b>surely</b>')
    assert.equal(await stops.count(), 1, 'the stop follows the focus')

    // On a phone the panel covers the room, its reply field still in reach.
    await bob.page.setViewportSize({ width: 390, height: 844 })
    await replyField(bob.page).waitFor()
    await bob.page.screenshot({ path: join(RESULTS_DIR, 'chat-thread-phone-dark.png'), animations: 'disabled' })

    // Escape in the reply field closes the panel.
    await replyField(bob.page).press('Escape')
    await bobPanel.waitFor({ state: 'detached' })
  }))

  it('reacts to, edits and deletes replies in the panel as in the room, each seen live by the other', (t) => step(t, async () => {
    const { alice, bob } = suite
    await bob.page.setViewportSize({ width: 1280, height: 800 })
    await messageWith(bob.page, 'Which chart do we use?').getByRole('button', { name: /^2 replies/ }).click()
    const bobPanel = panel(bob.page)
    const alicePanel = panel(alice.page)
    const alicesReply = (page: Page) => inPanel(page, 'Agreed, candles it is')

    // Bob reacts to alice's reply in his panel: alice sees it in hers, and on the copy in the room.
    await alicesReply(bob.page).hover()
    await alicesReply(bob.page).getByRole('button', { name: 'Add reaction' }).click()
    await bob.page.getByRole('button', { name: 'React with 🎉' }).click()
    await alicesReply(bob.page).getByRole('button', { name: '🎉 1: you. Press to take yours back.', exact: true }).waitFor()
    const onAlice = alicesReply(alice.page).getByRole('button', { name: '🎉 1: bob. Press to react too.', exact: true })
    await onAlice.waitFor()
    await messageWith(alice.page, 'Agreed, candles it is').getByRole('button', { name: '🎉 1: bob. Press to react too.', exact: true }).waitFor()
    // Alice reacts too, from her panel: two, for both.
    await onAlice.click()
    await alicesReply(bob.page).getByRole('button', { name: '🎉 2: you and alice. Press to take yours back.', exact: true }).waitFor()

    // Only one's own replies have actions in the panel, and only Edit and Delete.
    const bobsReply = (page: Page, text: string) => inPanel(page, text)
    assert.equal(await alicesReply(bob.page).getByRole('button', { name: 'Message actions' }).count(), 0, 'no actions on someone else\'s reply')
    await bobsReply(bob.page, 'The candles, <b>surely</b>').hover()
    await bobsReply(bob.page, 'The candles, <b>surely</b>').getByRole('button', { name: 'Message actions' }).click()
    const menu = bob.page.getByRole('menu', { name: 'Message actions' })
    assert.deepEqual(await menu.getByRole('menuitem').allTextContents(), ['Edit', 'Delete'])
    await menu.getByRole('menuitem', { name: 'Edit' }).click()
    const editor = bobPanel.getByRole('textbox', { name: 'Edit message' })
    await editor.fill('The candles, clearly')
    await editor.press('Enter')
    await bobsReply(alice.page, 'The candles, clearly').getByText('(edited)').waitFor()
    await bobsReply(bob.page, 'The candles, clearly').waitFor()
    // Saved: the reply field has the focus back.
    await replyField(bob.page).and(bob.page.locator(':focus')).waitFor()
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-thread-actions-light.png'), animations: 'disabled' })
    await bob.page.screenshot({ path: join(RESULTS_DIR, 'chat-thread-actions-dark.png'), animations: 'disabled' })

    // ArrowUp in her empty reply field edits alice's last reply; Escape gives the field back.
    await replyField(alice.page).press('ArrowUp')
    const aliceEditor = alicePanel.getByRole('textbox', { name: 'Edit message' })
    assert.equal(await aliceEditor.inputValue(), 'Agreed, candles it is')
    await aliceEditor.press('Escape')
    await aliceEditor.waitFor({ state: 'detached' })
    await replyField(alice.page).and(alice.page.locator(':focus')).waitFor()

    // Bob deletes his reply: alice's panel says so at once.
    await bobsReply(bob.page, 'The candles, clearly').hover()
    await bobsReply(bob.page, 'The candles, clearly').getByRole('button', { name: 'Message actions' }).click()
    await menu.getByRole('menuitem', { name: 'Delete' }).click()
    const confirm = bob.page.getByRole('dialog', { name: 'Delete this message?' })
    await confirm.getByText('Everyone in the thread will see “message deleted” instead.', { exact: false }).waitFor()
    await confirm.getByRole('button', { name: 'Delete' }).click()
    await alicePanel.getByRole('list', { name: 'Replies' }).getByText('message deleted').waitFor()
    await bobPanel.getByRole('list', { name: 'Replies' }).getByText('message deleted').waitFor()
    assert.equal(await alicePanel.getByText('The candles').count(), 0, 'the text is gone')
  }))

  it('keeps replies written offline in the outbox, pending in the panel, and delivers each once', (t) => step(t, async () => {
    const { alice, bob } = suite
    const alicePanel = panel(alice.page)
    const bobReplies = panel(bob.page).getByRole('list', { name: 'Replies' })
    const alsoToRoom = alicePanel.getByRole('checkbox', { name: 'Also send to #general' })
    await alice.context.setOffline(true)
    await topBar(alice.page).getByRole('status').filter({ hasText: /^Offline$/ }).waitFor()

    await alsoToRoom.setChecked(false)
    await replyField(alice.page).pressSequentially('Written on the train')
    await replyField(alice.page).press('Enter')
    const pending = alicePanel.locator('.message[data-state="pending"]')
    await pending.filter({ hasText: 'Written on the train' }).getByText('Waiting for connection…').waitFor()
    assert.equal(await log(alice.page).getByText('Written on the train').count(), 0, 'a thread-only reply is not pending in the room')
    await alsoToRoom.setChecked(true)
    await replyField(alice.page).pressSequentially('And to the room as well')
    await replyField(alice.page).press('Enter')
    await pending.filter({ hasText: 'And to the room as well' }).waitFor()
    await log(alice.page).locator('.message[data-state="pending"]').filter({ hasText: 'And to the room as well' }).waitFor()
    const stored = await alice.page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('hubbub:chat-outbox:')).map((key) => localStorage.getItem(key)).join(''))
    assert.match(stored, /Written on the train.*"threadRootId"/, 'the reply and its thread are in localStorage')
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-thread-offline-light.png'), animations: 'disabled' })

    await alice.context.setOffline(false)
    await pending.first().waitFor({ state: 'detached' })
    await bobReplies.getByText('Written on the train').waitFor()
    await bobReplies.getByText('And to the room as well').waitFor()
    await messageWith(bob.page, 'And to the room as well').waitFor()
    // A round trip after delivery: anything sent twice would have arrived before this.
    await replyField(bob.page).pressSequentially('Welcome back')
    await replyField(bob.page).press('Enter')
    await alicePanel.getByRole('list', { name: 'Replies' }).getByText('Welcome back').waitFor()
    for (const who of [alice, bob]) {
      const replies = panel(who.page).getByRole('list', { name: 'Replies' })
      assert.equal(await replies.getByText('Written on the train').count(), 1, `${who.name} sees it once`)
      assert.equal(await replies.getByText('And to the room as well').count(), 1, `${who.name} sees it once`)
      assert.equal(await log(who.page).getByText('Written on the train').count(), 0, 'the thread-only reply stays out of the room')
    }
    const order = await bobReplies.locator('.message-text').allTextContents()
    assert.ok(order.indexOf('Written on the train') < order.indexOf('And to the room as well'), `delivered in the order written: ${JSON.stringify(order)}`)
  }))
})
