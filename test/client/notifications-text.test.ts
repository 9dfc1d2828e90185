import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatRelativeTime } from '../../client/src/notifications/relative-time.ts'
import { badgeText, bellLabel, titleWithUnread } from '../../client/src/notifications/unread-text.ts'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
// Noon, so no time zone moves these dates to another day.
const now = new Date(2025, 5, 15, 12, 0, 0).getTime()

describe('formatRelativeTime', () => {
  it('says how long ago, coarsening with age', () => {
    const cases: [number, string][] = [
      [0, 'just now'],
      [59 * SECOND, 'just now'],
      [MINUTE, '1 min ago'],
      [59 * MINUTE, '59 min ago'],
      [HOUR, '1 h ago'],
      [23 * HOUR, '23 h ago'],
      [DAY, 'yesterday'],
      [2 * DAY, '2 days ago'],
      [6 * DAY, '6 days ago']
    ]
    for (const [ago, expected] of cases) assert.equal(formatRelativeTime(now - ago, now), expected, `${ago} ms ago`)
  })

  it('gives a date after a week, with the year only when it differs', () => {
    assert.equal(formatRelativeTime(new Date(2025, 2, 5, 12).getTime(), now), 'Mar 5')
    assert.equal(formatRelativeTime(new Date(2024, 11, 31, 12).getTime(), now), 'Dec 31, 2024')
  })

  it('treats a time slightly ahead (clock skew) as just now', () => {
    assert.equal(formatRelativeTime(now + 5 * SECOND, now), 'just now')
  })
})

describe('badgeText and bellLabel', () => {
  it('shows no badge at zero and caps at 99+', () => {
    assert.equal(badgeText(0), null)
    assert.equal(badgeText(1), '1')
    assert.equal(badgeText(99), '99')
    assert.equal(badgeText(100), '99+')
    assert.equal(badgeText(12345), '99+')
  })

  it('names the exact count for assistive tech', () => {
    assert.equal(bellLabel(0), 'Notifications')
    assert.equal(bellLabel(3), 'Notifications, 3 unread')
    assert.equal(bellLabel(250), 'Notifications, 250 unread')
  })
})

describe('titleWithUnread', () => {
  it('prefixes the count only when something is unread', () => {
    assert.equal(titleWithUnread('Chat · Hubbub', 3), '(3) Chat · Hubbub')
    assert.equal(titleWithUnread('Chat · Hubbub', 0), 'Chat · Hubbub')
    assert.equal(titleWithUnread('#general · Hubbub', 120), '(99+) #general · Hubbub')
  })
})
