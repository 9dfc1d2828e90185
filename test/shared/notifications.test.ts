import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Compile } from 'typebox/compile'
import { effectiveLevel, inSchedule, isNotificationUrl, isQuiet, matchesFilter, MUTE_FOREVER, NotificationUrlSchema, type Notification } from '../../shared/notifications.ts'

const links = ['/chat/general', '/', '/market/ACME?range=1d#chart', '/chat/r%5Coom', 'https://status.example.com/incidents/1', 'http://example.org', 'https://user@example.org:8443/a b', 'https://[::1]:8080/']
const notLinks = [
  '', '/\\evil.example', '/\t/evil.example', '/\r\n/evil.example', '//evil.example', '/\\/evil.example', 'https://', 'http://', 'https:///evil.example',
  'https://exa mple.com/', 'https://evil.example\\@app.example', 'https://evil.example/\u0000', 'javascript:alert(1)', 'HTTPS://evil.example',
  'data:text/html,hi', 'ftp://example.org/', 'mailto:a@b.c', 'chat/general', ' /chat/general', 'https://[::1/'
]

describe('isNotificationUrl', () => {
  for (const url of links) it(`accepts ${JSON.stringify(url)}`, () => assert.equal(isNotificationUrl(url), true))
  for (const url of notLinks) it(`refuses ${JSON.stringify(url)}`, () => assert.equal(isNotificationUrl(url), false))
})

describe('NotificationUrlSchema', () => {
  const schema = Compile(NotificationUrlSchema)
  it('accepts every link isNotificationUrl accepts, so the server check is the only one that matters', () => {
    for (const url of links) assert.ok(schema.Check(url), `the schema refuses ${JSON.stringify(url)}`)
  })

  it('already refuses control characters, backslashes and hostless URLs', () => {
    for (const url of ['/\\evil.example', '/\t/evil.example', '//evil.example', 'https://', 'https:///evil.example', 'javascript:alert(1)']) {
      assert.equal(schema.Check(url), false, `the schema accepts ${JSON.stringify(url)}`)
    }
  })
})

describe('notification preferences', () => {
  // 2026-12-07 is a Monday.
  const at = (iso: string) => Date.parse(iso)

  it('a room notifies at its level, its default when unset (all in a DM, mentions elsewhere), nothing while muted', () => {
    assert.equal(effectiveLevel(undefined, true, 0), 'all')
    assert.equal(effectiveLevel(undefined, false, 0), 'mentions')
    assert.equal(effectiveLevel({ level: 'all', mutedUntil: null }, false, 0), 'all')
    assert.equal(effectiveLevel({ level: 'all', mutedUntil: 100 }, false, 99), 'nothing')
    assert.equal(effectiveLevel({ level: 'all', mutedUntil: 100 }, false, 100), 'all', 'the mute has ended')
    assert.equal(effectiveLevel({ level: null, mutedUntil: MUTE_FOREVER }, true, Date.now()), 'nothing')
  })

  it('the weekly schedule is read in its time zone; a window past midnight belongs to the day it starts on', () => {
    const nights = { timeZone: 'Europe/Paris', days: [1], from: 22 * 60, to: 7 * 60 }
    assert.equal(inSchedule(nights, at('2026-12-07T21:30:00Z')), true, 'Monday 22:30 in Paris')
    assert.equal(inSchedule(nights, at('2026-12-07T20:30:00Z')), false, 'Monday 21:30 in Paris')
    assert.equal(inSchedule(nights, at('2026-12-08T05:30:00Z')), true, 'Tuesday 06:30 in Paris, the Monday night')
    assert.equal(inSchedule(nights, at('2026-12-08T06:30:00Z')), false, 'Tuesday 07:30')
    assert.equal(inSchedule(nights, at('2026-12-07T05:30:00Z')), false, 'Monday 06:30 belongs to Sunday night')
    const office = { timeZone: 'America/New_York', days: [1, 2, 3, 4, 5], from: 9 * 60, to: 17 * 60 }
    assert.equal(inSchedule(office, at('2026-12-07T14:00:00Z')), true, 'Monday 09:00 in New York')
    assert.equal(inSchedule(office, at('2026-12-07T13:59:00Z')), false, 'Monday 08:59')
    assert.equal(inSchedule({ timeZone: 'UTC', days: [0], from: 0, to: 0 }, at('2026-12-06T23:59:00Z')), true, 'from = to: the whole day')
    assert.equal(inSchedule({ timeZone: 'Nowhere/Land', days: [1], from: 0, to: 0 }, at('2026-12-07T12:00:00Z')), false)
  })

  it('do not disturb is on until its time or inside the schedule', () => {
    const schedule = { timeZone: 'UTC', days: [1], from: 0, to: 60 }
    assert.equal(isQuiet({ dndUntil: 100, schedule: null }, 99), true)
    assert.equal(isQuiet({ dndUntil: 100, schedule: null }, 100), false)
    assert.equal(isQuiet({ dndUntil: null, schedule }, at('2026-12-07T00:30:00Z')), true)
    assert.equal(isQuiet({ dndUntil: null, schedule }, at('2026-12-07T01:30:00Z')), false)
  })

  it('filters match as the server lists them', () => {
    const n = (kind: Notification['kind'], readAt: number | null = null) => ({ kind, readAt })
    assert.equal(matchesFilter(n('dm', 5), undefined), true)
    assert.equal(matchesFilter(n('dm', 5), 'unread'), false)
    assert.equal(matchesFilter(n('message'), 'unread'), true)
    assert.equal(matchesFilter(n('mention'), 'mentions'), true)
    assert.equal(matchesFilter(n('message'), 'mentions'), false)
    assert.equal(matchesFilter(n('dm'), 'dms'), true)
    assert.equal(matchesFilter(n('price-alert'), 'alerts'), true)
    assert.equal(matchesFilter(n('system'), 'services'), true)
    assert.equal(matchesFilter(n('invite'), 'services'), false)
  })
})
