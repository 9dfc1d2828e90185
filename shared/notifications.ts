import { Type, type Static } from 'typebox'
import { command, push, route } from './protocol.ts'
import { EmptySchema, IdSchema, TimestampSchema, UsernameSchema, VisibleText, WellFormedText } from './schemas.ts'
import { AlertSchema, SymbolSchema } from './ticker.ts'

/** `message`: any message in a room the user set to "all" (neither a mention nor a DM); `thread`: a reply in a followed thread. */
export const NotificationKindSchema = Type.Enum(['mention', 'dm', 'invite', 'price-alert', 'system', 'thread', 'message'])
export type NotificationKind = Static<typeof NotificationKindSchema>

export const NotificationSchema = Type.Object({
  id: IdSchema,
  kind: NotificationKindSchema,
  title: Type.String(),
  body: Type.String(),
  url: Type.Union([Type.String(), Type.Null()]),
  createdAt: TimestampSchema,
  readAt: Type.Union([TimestampSchema, Type.Null()]),
  roomId: Type.Optional(Type.Union([IdSchema, Type.Null()], { description: 'the chat room it comes from (mentions, DMs, messages, invitations)' })),
  roomName: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'that room\'s name when it was sent (null for a direct room)' })),
  actor: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'the username of who caused it (the author, the inviter)' }))
})
export type Notification = Static<typeof NotificationSchema>

/** What a room notifies: every message, mentions (and DMs) only, or nothing. */
export const RoomLevelSchema = Type.Enum(['all', 'mentions', 'nothing'])
export type RoomLevel = Static<typeof RoomLevelSchema>
/** "Forever" as a mute's end: the largest time a Date holds. */
export const MUTE_FOREVER = 8_640_000_000_000_000

export const RoomPreferenceSchema = Type.Object({
  roomId: IdSchema,
  level: Type.Union([RoomLevelSchema, Type.Null()], { description: 'null: the room\'s default (`all` for a direct room, `mentions` otherwise)' }),
  mutedUntil: Type.Union([TimestampSchema, Type.Null()], { description: 'muted (nothing notified, no unread emphasis) until then; 8640000000000000 is forever' })
})
export type RoomPreference = Static<typeof RoomPreferenceSchema>

const MinuteOfDaySchema = Type.Integer({ minimum: 0, maximum: 1439, description: 'minutes after midnight, local time' })
export const TimeZoneSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_+/-]+$', description: 'an IANA time zone (`Europe/Paris`, `UTC`)' })
export const QuietScheduleSchema = Type.Object({
  timeZone: TimeZoneSchema,
  days: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { minItems: 1, maxItems: 7, uniqueItems: true, description: 'the days it starts on, 0 = Sunday' }),
  from: MinuteOfDaySchema,
  to: MinuteOfDaySchema
}, { additionalProperties: false, description: 'quiet every week from `from` to `to` on `days` (past midnight when `to` <= `from`), in `timeZone`' })
export type QuietSchedule = Static<typeof QuietScheduleSchema>

export const NotificationSettingsSchema = Type.Object({
  dndUntil: Type.Union([TimestampSchema, Type.Null()], { description: 'do not disturb until then' }),
  schedule: Type.Union([QuietScheduleSchema, Type.Null()]),
  desktopKinds: Type.Array(NotificationKindSchema, { maxItems: 6, uniqueItems: true, description: 'the kinds shown as desktop notifications while the page is hidden' })
})
export type NotificationSettings = Static<typeof NotificationSettingsSchema>
export const defaultNotificationSettings: NotificationSettings = { dndUntil: null, schedule: null, desktopKinds: ['mention', 'dm', 'invite', 'price-alert', 'system', 'message'] }

export const PreferencesSchema = Type.Object({ rooms: Type.Array(RoomPreferenceSchema), settings: NotificationSettingsSchema })
export type Preferences = Static<typeof PreferencesSchema>

/** The level a room notifies at now: muted is nothing; unset is the room's default. */
export const effectiveLevel = (preference: Pick<RoomPreference, 'level' | 'mutedUntil'> | undefined, direct: boolean, now: number): RoomLevel => {
  if (preference?.mutedUntil != null && preference.mutedUntil > now) return 'nothing'
  return preference?.level ?? (direct ? 'all' : 'mentions')
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }
const clocks = new Map<string, Intl.DateTimeFormat>()
/** The weekday (0 = Sunday) and minute of the day at `now` in a time zone; null for a zone Intl does not know. */
export const localClock = (timeZone: string, now: number) => {
  let clock = clocks.get(timeZone)
  if (!clock) {
    try {
      clock = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    } catch {
      return null
    }
    clocks.set(timeZone, clock)
  }
  const parts = Object.fromEntries(clock.formatToParts(now).map((part) => [part.type, part.value]))
  return { day: WEEKDAYS[parts.weekday!] ?? 0, minute: Number(parts.hour) * 60 + Number(parts.minute) }
}

/** Whether the weekly schedule is quiet at `now` (a window past midnight belongs to the day it starts on). */
export const inSchedule = (schedule: QuietSchedule, now: number) => {
  const local = localClock(schedule.timeZone, now)
  if (!local) return false
  const { day, minute } = local
  const { days, from, to } = schedule
  if (from === to) return days.includes(day)
  if (from < to) return days.includes(day) && minute >= from && minute < to
  return (days.includes(day) && minute >= from) || (days.includes((day + 6) % 7) && minute < to)
}

/** Do not disturb: until a time, or inside the weekly schedule. */
export const isQuiet = (settings: Pick<NotificationSettings, 'dndUntil' | 'schedule'>, now: number) =>
  (settings.dndUntil !== null && settings.dndUntil > now) || (settings.schedule !== null && inSchedule(settings.schedule, now))

/** The inbox's filters (`services`: what other services published, kind `system`). */
export const InboxFilterSchema = Type.Enum(['unread', 'mentions', 'dms', 'alerts', 'services'])
export type InboxFilter = Static<typeof InboxFilterSchema>

/** Whether a notification belongs under a filter: the server's rule, which the client applies to pushes. */
export const matchesFilter = (notification: Pick<Notification, 'kind' | 'readAt'>, filter: InboxFilter | undefined) => {
  switch (filter) {
    case undefined: return true
    case 'unread': return notification.readAt === null
    case 'mentions': return notification.kind === 'mention'
    case 'dms': return notification.kind === 'dm'
    case 'alerts': return notification.kind === 'price-alert'
    case 'services': return notification.kind === 'system'
  }
}

export const TITLE_MAX = 200
export const BODY_MAX = 2000
export const RECIPIENTS_MAX = 1000

export const NotificationTitleSchema = VisibleText({ minLength: 1, maxLength: TITLE_MAX })
export const NotificationBodySchema = WellFormedText({ maxLength: BODY_MAX })
/**
 * Links are same-site paths or http(s) URLs with a host, never `javascript:` or other schemes, and
 * without control characters or backslashes. The schema says what it can; isNotificationUrl() is
 * the whole rule, with the URL parser browsers use.
 */
export const NotificationUrlSchema = Type.String({
  maxLength: 2000,
  pattern: '^(/(?!/)|https?://[^/?#\\u0000-\\u0020\\u007f\\\\])[^\\u0000-\\u001f\\u007f\\\\]*$',
  description: 'a same-site path (`/chat/general`) or an http(s) URL with a host'
})

/** The WHATWG URL parser, the same in browsers and in Node (shared/ is compiled without their types). */
declare const URL: new (url: string, base?: string) => { origin: string, host: string }
const SAME_SITE = 'https://same-site.invalid'
const parse = (url: string, base?: string) => {
  try {
    return new URL(url, base)
  } catch {
    return null
  }
}

/**
 * Whether a notification link is what the protocol promises, as a browser reads it: a path that
 * stays on this site (`/\evil.example` and `/<tab>/evil.example` are other hosts to a browser) or
 * an absolute http(s) URL with a host. The server stores nothing else; the client follows nothing else.
 */
export function isNotificationUrl (url: string) {
  // Control characters and backslashes are where parsers disagree; a link never needs them.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(url)) return false
  if (url.startsWith('/')) return !url.startsWith('//') && parse(url, SAME_SITE)?.origin === SAME_SITE
  // The host right after `//`: the parser would skip extra slashes (`https:///evil.example`).
  return /^https?:\/\/[^/?#]/.test(url) && (parse(url)?.host ?? '') !== ''
}

export const PageLimitSchema = Type.Integer({ minimum: 1, maximum: 100, default: 30 })

const strict = { additionalProperties: false } as const
const UnreadSchema = Type.Object({ unread: Type.Integer({ minimum: 0 }) })
const PageQuerySchema = Type.Object({
  before: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the id of the oldest notification already shown' })),
  limit: Type.Optional(PageLimitSchema),
  filter: Type.Optional(InboxFilterSchema)
}, strict)
const PageSchema = Type.Object({ notifications: Type.Array(NotificationSchema), hasMore: Type.Boolean(), unread: Type.Integer() })

/** Away for longer than this (every tab closed or hidden), the user is shown what happened meanwhile. */
export const AWAY_AFTER_MS = 10 * 60 * 1000
/** How far back `away:summary` looks at most: an older `since` counts from then. */
export const AWAY_MAX_MS = 7 * 24 * 60 * 60 * 1000
/** Rooms, notifications of each kind, fired alerts and movers one summary lists at most. */
export const AWAY_ITEMS_MAX = 10
/** How much of a room's first unread message the summary carries. */
export const AWAY_SNIPPET_MAX = 160

export const AwayRoomSchema = Type.Object({
  roomId: IdSchema,
  name: Type.String({ description: 'the room\'s name (a direct room\'s is its two usernames joined by a comma)' }),
  visibility: Type.Enum(['public', 'private', 'direct']),
  unread: Type.Integer({ minimum: 1 }),
  firstUnreadSeq: Type.Integer({ minimum: 1, description: 'open the room there: `/chat/<roomId>?seq=<firstUnreadSeq>`' }),
  first: Type.Union([Type.Object({
    author: Type.String(),
    text: Type.String({ maxLength: AWAY_SNIPPET_MAX, description: 'the start of the first unread message' }),
    createdAt: TimestampSchema
  }), Type.Null()])
})
export type AwayRoom = Static<typeof AwayRoomSchema>

export const AwayMoverSchema = Type.Object({
  symbol: SymbolSchema,
  name: Type.String(),
  from: Type.Number({ description: 'the price at `since` (from the market\'s candles)' }),
  to: Type.Number({ description: 'the price now' }),
  changePct: Type.Number({ description: '(to - from) / from, in percent' })
})
export type AwayMover = Static<typeof AwayMoverSchema>

export const AwaySummarySchema = Type.Object({
  since: Type.Integer({ minimum: 0, description: 'what the summary counts from: the `since` asked, no earlier than 7 days ago and no later than now' }),
  until: TimestampSchema,
  rooms: Type.Array(AwayRoomSchema, { maxItems: AWAY_ITEMS_MAX, description: 'your rooms with unread messages, most unread first' }),
  mentions: Type.Array(NotificationSchema, { maxItems: AWAY_ITEMS_MAX, description: 'mentions and direct messages notified since, newest first' }),
  threads: Type.Array(NotificationSchema, { maxItems: AWAY_ITEMS_MAX, description: 'new replies in threads you follow, notified since, newest first' }),
  alerts: Type.Array(AlertSchema, { maxItems: AWAY_ITEMS_MAX, description: 'your price alerts that fired since, the latest first' }),
  movers: Type.Array(AwayMoverSchema, { maxItems: AWAY_ITEMS_MAX, description: 'the symbols of your watchlists that moved most since, by the size of the move' })
})
export type AwaySummary = Static<typeof AwaySummarySchema>

export const awayCommands = {
  'away:summary': command({
    cost: 5,
    summary: 'What happened while you were away since `since` (as your client last saw you; at most 7 days back): unread rooms with their first unread line, mentions and DMs, thread replies, fired alerts, your watchlist\'s biggest movers.',
    payload: Type.Object({ since: TimestampSchema }, { additionalProperties: false }),
    data: AwaySummarySchema
  })
}

export const notificationCommands = {
  'notification:list': command({
    cost: 2,
    summary: 'Your notifications, newest first, a page at a time (`before`: the id of the oldest one you have).',
    payload: PageQuerySchema,
    data: PageSchema
  }),
  'notification:mark-read': command({
    cost: 2,
    summary: 'Mark some of your notifications read, or all of them.',
    payload: Type.Union([
      Type.Object({ ids: Type.Array(IdSchema, { minItems: 1, maxItems: 100 }) }, strict),
      Type.Object({ all: Type.Literal(true) }, strict)
    ]),
    data: UnreadSchema
  }),
  'notification:mark-unread': command({
    cost: 2,
    summary: 'Mark one of your notifications unread again (another user\'s id changes nothing: `not_found`).',
    payload: Type.Object({ id: IdSchema }, strict),
    data: UnreadSchema
  }),
  'notification:done': command({
    cost: 2,
    summary: 'Archive some of your notifications ("done": read, and out of every list), or bring them back with `done: false` (undo).',
    payload: Type.Object({ ids: Type.Array(IdSchema, { minItems: 1, maxItems: 100 }), done: Type.Boolean() }, strict),
    data: UnreadSchema
  }),
  'notification:preferences': command({
    cost: 1,
    summary: 'Your notification preferences: per room level and mute, do not disturb, desktop kinds.',
    payload: EmptySchema,
    data: PreferencesSchema
  }),
  'notification:set-room': command({
    cost: 2,
    summary: 'Set what a room you belong to notifies (`level`, null for its default) and/or mute it until a time (null: unmute). Pushes `notification:preferences`.',
    payload: Type.Object({
      roomId: IdSchema,
      level: Type.Optional(Type.Union([RoomLevelSchema, Type.Null()])),
      mutedUntil: Type.Optional(Type.Union([TimestampSchema, Type.Null()]))
    }, strict),
    data: RoomPreferenceSchema
  }),
  'notification:set-settings': command({
    cost: 2,
    summary: 'Change do not disturb (until a time, a weekly schedule) and the desktop kinds; fields left out stay. Pushes `notification:preferences`.',
    payload: Type.Object({
      dndUntil: Type.Optional(Type.Union([TimestampSchema, Type.Null()])),
      schedule: Type.Optional(Type.Union([QuietScheduleSchema, Type.Null()])),
      desktopKinds: Type.Optional(NotificationSettingsSchema.properties.desktopKinds)
    }, strict),
    data: NotificationSettingsSchema
  }),
  ...awayCommands
}

export const notificationPushes = {
  'notification:new': push({
    summary: 'A new notification, to every socket of the recipient; `quiet` under do not disturb (no toast, desktop notification or sound).',
    payload: Type.Object({ notification: NotificationSchema, quiet: Type.Optional(Type.Boolean()) })
  }),
  'notification:changed': push({
    summary: 'Some of your notifications changed in another tab: marked unread, done, or back from done (re-list them).',
    payload: Type.Object({ ids: Type.Array(IdSchema), change: Type.Enum(['unread', 'done', 'undone']) })
  }),
  'notification:preferences': push({ summary: 'Your preferences after a change, to every socket of yours.', payload: PreferencesSchema }),
  'notification:unread': push({ summary: 'The unread count, on connect and whenever it changes.', payload: Type.Object({ count: Type.Integer({ minimum: 0 }) }) })
}

export const PublishBodySchema = Type.Object({
  to: Type.Union([
    Type.Object({ usernames: Type.Array(UsernameSchema, { minItems: 1, maxItems: RECIPIENTS_MAX }) }, strict),
    Type.Object({ all: Type.Literal(true) }, strict)
  ]),
  title: NotificationTitleSchema,
  body: Type.Optional(NotificationBodySchema),
  url: Type.Optional(NotificationUrlSchema),
  kind: Type.Optional(NotificationKindSchema)
}, strict)
export type PublishBody = Static<typeof PublishBodySchema>

export const notificationRoutes = {
  publish: route({
    method: 'POST',
    url: '/api/notifications',
    summary: 'Publish a notification from another service (`Authorization: Bearer <publish key>`). Stored first, then pushed; `unknown` lists usernames that do not exist.',
    auth: 'publish-key',
    body: PublishBodySchema,
    response: { 202: Type.Object({ stored: Type.Integer(), delivered: Type.Integer(), unknown: Type.Array(Type.String()) }) }
  }),
  list: route({
    method: 'GET',
    url: '/api/notifications',
    summary: 'Your notifications, as `notification:list`.',
    auth: 'user',
    querystring: PageQuerySchema,
    response: { 200: PageSchema }
  })
}
