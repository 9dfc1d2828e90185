import { Type, type Static } from 'typebox'
import { command, push, route } from './protocol.ts'
import { IdSchema, TimestampSchema, UsernameSchema, VisibleText, WellFormedText } from './schemas.ts'

export const NotificationKindSchema = Type.Enum(['mention', 'dm', 'invite', 'price-alert', 'system', 'thread'])
export type NotificationKind = Static<typeof NotificationKindSchema>

export const NotificationSchema = Type.Object({
  id: IdSchema,
  kind: NotificationKindSchema,
  title: Type.String(),
  body: Type.String(),
  url: Type.Union([Type.String(), Type.Null()]),
  createdAt: TimestampSchema,
  readAt: Type.Union([TimestampSchema, Type.Null()])
})
export type Notification = Static<typeof NotificationSchema>

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
  limit: Type.Optional(PageLimitSchema)
}, strict)
const PageSchema = Type.Object({ notifications: Type.Array(NotificationSchema), hasMore: Type.Boolean(), unread: Type.Integer() })

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
  })
}

export const notificationPushes = {
  'notification:new': push({ summary: 'A new notification, to every socket of the recipient.', payload: Type.Object({ notification: NotificationSchema }) }),
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
