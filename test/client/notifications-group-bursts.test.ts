import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Notification } from '../../shared/notifications.ts'
import { BURST_GAP_MS, burstTitle, groupBursts } from '../../client/src/notifications/group-bursts.ts'

let ids = 0
const note = (over: Partial<Notification> = {}): Notification => ({
  id: `n${++ids}`,
  kind: 'message',
  title: 'New message',
  body: '',
  url: null,
  createdAt: 1_000_000,
  readAt: null,
  roomId: 'general',
  roomName: 'general',
  actor: 'ux_alice',
  ...over
})
const shape = (items: Notification[]) => groupBursts(items).map((entry) => entry.type === 'burst' ? entry.items.map((item) => item.id) : entry.notification.id)

describe('groupBursts', () => {
  it('groups consecutive messages from one person in one room into one entry, keyed by its newest', () => {
    const burst = [5, 4, 3, 2, 1].map((i) => note({ createdAt: 1_000_000 + i * 1000 }))
    const entries = groupBursts(burst)
    assert.equal(entries.length, 1)
    assert.deepEqual(entries[0], { type: 'burst', id: burst[0]!.id, items: burst })
    assert.equal(burstTitle(burst), '5 new messages from ux_alice in #general')
  })

  it('breaks a burst at another person, another room, another kind, or a gap longer than BURST_GAP_MS', () => {
    const a = note({ createdAt: 10 * BURST_GAP_MS })
    const b = note({ createdAt: 10 * BURST_GAP_MS - 1 })
    const other = note({ actor: 'bob', createdAt: 10 * BURST_GAP_MS - 2 })
    const c = note({ createdAt: 10 * BURST_GAP_MS - 3 })
    const elsewhere = note({ roomId: 'random', roomName: 'random', createdAt: 10 * BURST_GAP_MS - 4 })
    const mention = note({ kind: 'mention', createdAt: 10 * BURST_GAP_MS - 5 })
    const mention2 = note({ kind: 'mention', createdAt: 10 * BURST_GAP_MS - 6 })
    const d = note({ createdAt: 10 * BURST_GAP_MS - 7 })
    const late = note({ createdAt: 10 * BURST_GAP_MS - 8 - BURST_GAP_MS - 1 })
    assert.deepEqual(shape([a, b, other, c, elsewhere, mention, mention2, d, late]),
      [[a.id, b.id], other.id, c.id, elsewhere.id, mention.id, mention2.id, d.id, late.id])
  })

  it('groups DMs from one person without a room name, and never items without a room or author', () => {
    const dms = [note({ kind: 'dm', roomId: 'dm1', roomName: null }), note({ kind: 'dm', roomId: 'dm1', roomName: null })]
    assert.equal(burstTitle(dms), '2 new messages from ux_alice')
    assert.equal(groupBursts(dms).length, 1)
    const services = [note({ kind: 'system', roomId: null, actor: null }), note({ kind: 'system', roomId: null, actor: null })]
    assert.deepEqual(shape(services), services.map((item) => item.id))
    assert.deepEqual(groupBursts([]), [])
  })
})
