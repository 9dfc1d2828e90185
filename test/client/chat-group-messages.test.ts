import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatDay, formatShortTime } from '../../client/src/chat/format-time.ts'
import { GROUP_WINDOW_MS, groupMessages } from '../../client/src/chat/group-messages.ts'

const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10)
const MIN = 60_000
const base = Date.UTC(2025, 2, 3, 9, 0) // Monday 3 March 2025, 09:00 UTC
const entry = (key: string, authorId: string, createdAt: number) => ({ key, authorId, createdAt })
const shape = (rows: ReturnType<typeof groupMessages>) =>
  rows.map((row) => row.kind === 'day' ? `day ${row.day}` : `${row.entry.key}${row.startsGroup ? ' *' : ''}`)

describe('groupMessages', () => {
  it('groups consecutive messages of one author within a few minutes', () => {
    const rows = groupMessages([
      entry('a1', 'alice', base),
      entry('a2', 'alice', base + 2 * MIN),
      entry('b1', 'bob', base + 3 * MIN),
      entry('a3', 'alice', base + 4 * MIN),
      entry('a4', 'alice', base + 4 * MIN + GROUP_WINDOW_MS + 1)
    ], { dayOf: utcDay })
    assert.deepEqual(shape(rows), ['day 2025-03-03', 'a1 *', 'a2', 'b1 *', 'a3 *', 'a4 *'])
  })

  it('puts a separator before each new day and starts a group there', () => {
    const rows = groupMessages([
      entry('a1', 'alice', base),
      entry('a2', 'alice', base + 15 * 60 * MIN),
      entry('a3', 'alice', base + 15 * 60 * MIN + MIN)
    ], { dayOf: utcDay })
    assert.deepEqual(shape(rows), ['day 2025-03-03', 'a1 *', 'day 2025-03-04', 'a2 *', 'a3'])
  })

  it('returns nothing for no messages', () => {
    assert.deepEqual(groupMessages([]), [])
  })
})

describe('formatDay', () => {
  const options = { locale: 'en-US', timeZone: 'UTC' }
  const now = Date.UTC(2025, 2, 3, 12, 0)

  it('says Today and Yesterday, then the weekday and date, with the year only when it differs', () => {
    assert.equal(formatDay(Date.UTC(2025, 2, 3, 0, 5), now, options), 'Today')
    assert.equal(formatDay(Date.UTC(2025, 2, 2, 23, 59), now, options), 'Yesterday')
    assert.equal(formatDay(Date.UTC(2025, 1, 27, 10), now, options), 'Thursday, February 27')
    assert.equal(formatDay(Date.UTC(2024, 11, 31, 10), now, options), 'Tuesday, December 31, 2024')
  })

  it('uses the reader\'s time zone for the day', () => {
    assert.equal(formatDay(Date.UTC(2025, 2, 3, 2, 0), now, { locale: 'en-US', timeZone: 'America/New_York' }), 'Yesterday')
  })
})

describe('formatShortTime', () => {
  it('drops AM/PM for the narrow column and keeps 24-hour times as they are', () => {
    assert.equal(formatShortTime(Date.UTC(2025, 2, 3, 17, 5), { locale: 'en-US', timeZone: 'UTC' }), '5:05')
    assert.equal(formatShortTime(Date.UTC(2025, 2, 3, 17, 5), { locale: 'de-DE', timeZone: 'UTC' }), '17:05')
  })
})
