import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AWAY_AFTER_MS } from '../../shared/notifications.ts'
import { awaySince, createAwayTracker, lastSeenKey, SEEN_EVERY_MS, type SeenStore } from '../../client/src/notifications/away-tracker.ts'

const MINUTE = 60_000

/** One browser's localStorage, shared by the tabs made on it, and a clock the test moves. */
const browser = (start = 1_000_000_000_000) => {
  const items = new Map<string, string>()
  const store: SeenStore = { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => { items.set(key, value) } }
  const clock = { now: start }
  const tab = (userId = 'u1') => createAwayTracker({ store, key: lastSeenKey(userId), now: () => clock.now })
  return { items, store, clock, tab }
}

describe('awaySince', () => {
  it('is the last-seen time only after more than ten minutes, and null when never seen', () => {
    assert.equal(awaySince(null, 5 * 60 * MINUTE), null)
    assert.equal(awaySince(1000, 1000 + AWAY_AFTER_MS), null, 'exactly ten minutes is not away')
    assert.equal(awaySince(1000, 1001 + AWAY_AFTER_MS), 1000)
    assert.equal(awaySince(1000, 1000 + 11 * MINUTE, 15 * MINUTE), null, 'another threshold')
  })
})

describe('createAwayTracker', () => {
  it('finds nothing on a first visit, then the time the user left when a tab shows after 11 minutes', () => {
    const { clock, tab } = browser()
    const only = tab()
    assert.equal(only.visible(), null, 'never seen in this browser')
    clock.now += 3 * MINUTE
    const left = clock.now
    only.hidden()
    clock.now += 11 * MINUTE
    assert.equal(only.visible(), left)
    assert.equal(only.visible(), null, 'told once: seen now')
  })

  it('is not away while another tab stays visible and keeps saying so every minute', () => {
    const { clock, tab } = browser()
    const [shown, background] = [tab(), tab()]
    shown.visible()
    background.hidden()
    for (let i = 0; i < 30; i++) {
      clock.now += SEEN_EVERY_MS
      assert.equal(shown.visible(), null, 'the visible tab\'s minute')
    }
    assert.equal(background.visible(), null, 'half an hour later, the other tab shows: the user never left')
  })

  it('tells only the first of several tabs coming back together (one summary)', () => {
    const { clock, tab } = browser()
    const tabs = [tab(), tab(), tab()]
    tabs[0]!.visible()
    const left = clock.now
    for (const each of tabs) each.hidden()
    clock.now += 2 * 60 * MINUTE
    assert.deepEqual(tabs.map((each) => each.visible()), [left, null, null])
  })

  it('finds the user away when a visible tab\'s minute comes late (a sleeping laptop)', () => {
    const { clock, tab } = browser()
    const open = tab()
    open.visible()
    clock.now += SEEN_EVERY_MS
    const lastTick = clock.now
    assert.equal(open.visible(), null)
    clock.now += 45 * MINUTE
    assert.equal(open.visible(), lastTick)
  })

  it('keeps each user apart, and treats an unreadable or refusing storage as never seen', () => {
    const { clock, items, tab } = browser()
    tab('alice').visible()
    clock.now += 20 * MINUTE
    assert.equal(tab('bob').visible(), null, 'bob was never seen here')
    items.set(lastSeenKey('carol'), 'garbage')
    assert.equal(tab('carol').visible(), null)
    const refusing = createAwayTracker({
      store: { getItem: () => { throw new Error('denied') }, setItem: () => { throw new Error('full') } },
      key: lastSeenKey('dave'),
      now: () => clock.now
    })
    assert.equal(refusing.visible(), null)
    assert.doesNotThrow(() => refusing.hidden())
  })
})
