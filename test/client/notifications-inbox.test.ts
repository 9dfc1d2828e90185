import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Notification } from '../../shared/notifications.ts'
import { emptyInbox, oldestId, unreadHeld, withFirstPage, withNew, withOlderPage, withoutIds, withRead, withUnread, type Inbox } from '../../client/src/notifications/inbox.ts'

/** Notification `n` was created at second n (so a higher n is newer). */
const note = (n: number, readAt: number | null = null): Notification => ({
  id: `n${n}`, kind: 'system', title: `title ${n}`, body: '', url: null, createdAt: n * 1000, readAt
})
const notes = (...ns: number[]) => ns.map((n) => note(n))
const ids = (inbox: Inbox) => inbox.items.map((item) => item.id)
const inboxOf = (hasMore: boolean, ...ns: number[]): Inbox => ({ items: notes(...ns), hasMore })

describe('withFirstPage', () => {
  it('takes the first page into an empty inbox', () => {
    const inbox = withFirstPage(emptyInbox, { notifications: notes(5, 4, 3), hasMore: true })
    assert.deepEqual(ids(inbox), ['n5', 'n4', 'n3'])
    assert.equal(inbox.hasMore, true)
  })

  it('keeps loaded older pages when the fresh page joins up with them', () => {
    const held = inboxOf(true, 5, 4, 3, 2, 1)
    const inbox = withFirstPage(held, { notifications: notes(7, 6, 5), hasMore: true })
    assert.deepEqual(ids(inbox), ['n7', 'n6', 'n5', 'n4', 'n3', 'n2', 'n1'])
    assert.equal(inbox.hasMore, true, 'still more beyond the oldest held one')
  })

  it('drops held older items when more arrived than a page (no silent gap)', () => {
    const held = inboxOf(false, 3, 2, 1)
    const inbox = withFirstPage(held, { notifications: notes(9, 8, 7), hasMore: true })
    assert.deepEqual(ids(inbox), ['n9', 'n8', 'n7'])
    assert.equal(inbox.hasMore, true, 'the rest loads on scroll')
  })

  it('keeps a pushed notification that is newer than the page it raced with', () => {
    const held = withNew(inboxOf(false, 2, 1), note(3))
    const inbox = withFirstPage(held, { notifications: notes(2, 1), hasMore: false })
    assert.deepEqual(ids(inbox), ['n3', 'n2', 'n1'])
  })

  it('takes read state from the page (another tab read it)', () => {
    const held = inboxOf(false, 2, 1)
    const inbox = withFirstPage(held, { notifications: [note(2, 5000), note(1, 5000)], hasMore: false })
    assert.deepEqual(inbox.items.map((item) => item.readAt), [5000, 5000])
    assert.equal(unreadHeld(inbox), 0)
  })

  it('is the whole inbox when the page says there is no more', () => {
    const inbox = withFirstPage(inboxOf(true, 4, 3), { notifications: notes(4, 3), hasMore: false })
    assert.deepEqual(ids(inbox), ['n4', 'n3'])
    assert.equal(inbox.hasMore, false)
  })
})

describe('withOlderPage', () => {
  it('appends without duplicates and takes hasMore from the page', () => {
    const held = inboxOf(true, 6, 5, 4)
    // An overlap can happen when a new notification shifted the server's pages meanwhile.
    const inbox = withOlderPage(held, { notifications: notes(4, 3, 2), hasMore: false })
    assert.deepEqual(ids(inbox), ['n6', 'n5', 'n4', 'n3', 'n2'])
    assert.equal(inbox.hasMore, false)
    assert.equal(oldestId(inbox), 'n2')
  })
})

describe('withNew', () => {
  it('prepends a new notification', () => {
    assert.deepEqual(ids(withNew(inboxOf(false, 2, 1), note(3))), ['n3', 'n2', 'n1'])
  })

  it('never holds the same id twice (a push replayed after a reconnect)', () => {
    const once = withNew(inboxOf(false, 2, 1), note(3))
    const twice = withNew(once, note(3))
    assert.deepEqual(ids(twice), ['n3', 'n2', 'n1'])
  })

  it('keeps newest first even when pushes arrive out of order', () => {
    assert.deepEqual(ids(withNew(withNew(emptyInbox, note(5)), note(4))), ['n5', 'n4'])
  })

  it('keeps the arrival order of notifications created in the same millisecond', () => {
    const a = { ...note(1), id: 'a' }
    const b = { ...note(1), id: 'b' }
    const inbox = withFirstPage(emptyInbox, { notifications: [b, a], hasMore: false })
    assert.deepEqual(ids(inbox), ['b', 'a'])
  })
})

describe('withRead', () => {
  it('marks the given ids read and leaves the rest', () => {
    const inbox = withRead(inboxOf(false, 3, 2, 1), ['n2'], 99)
    assert.deepEqual(inbox.items.map((item) => item.readAt), [null, 99, null])
    assert.equal(unreadHeld(inbox), 2)
  })

  it('marks all, keeping the time of those read before', () => {
    const held: Inbox = { items: [note(2), note(1, 10)], hasMore: false }
    const inbox = withRead(held, 'all', 99)
    assert.deepEqual(inbox.items.map((item) => item.readAt), [99, 10])
  })

  it('returns the same inbox when nothing changes (no needless re-render)', () => {
    const held: Inbox = { items: [note(1, 10)], hasMore: false }
    assert.equal(withRead(held, 'all', 99), held)
  })
})

describe('withUnread and withoutIds', () => {
  it('marks held items unread again, leaving the others and the same inbox when nothing changes', () => {
    const inbox: Inbox = { items: [note(3, 30), note(2, 20), note(1)], hasMore: false }
    const next = withUnread(inbox, ['n3', 'n9'])
    assert.deepEqual(next.items.map((item) => item.readAt), [null, 20, null])
    assert.equal(withUnread(next, ['n3', 'n1']), next)
  })

  it('takes done items out, keeping the order and hasMore', () => {
    const inbox = inboxOf(true, 3, 2, 1)
    assert.deepEqual(ids(withoutIds(inbox, ['n2'])), ['n3', 'n1'])
    assert.equal(withoutIds(inbox, ['n2']).hasMore, true)
    assert.equal(withoutIds(inbox, ['n9']), inbox)
  })
})
