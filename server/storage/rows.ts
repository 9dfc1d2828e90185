import type { User } from '../../shared/auth.ts'
import type { Message, Reaction, RoomRole, Visibility } from '../../shared/chat.ts'
import type { Image, ImageMime } from '../../shared/images.ts'
import { defaultNotificationSettings, type Notification, type NotificationKind, type NotificationSettings, type QuietSchedule, type RoomLevel, type RoomPreference } from '../../shared/notifications.ts'
import type { AlertDirection, AlertKind, Watchlist } from '../../shared/ticker.ts'
import { AppError } from '../errors.ts'
import type { AlertRecord, AvatarRecord, ImageRecord, ProfileRecord, RoomInfo, RoomMemberRecord, RoomRecord, SessionRecord, UserRecord, UserRoomRecord } from './types.ts'

/**
 * Rows to records, the same for every store: the tables have the same columns on SQLite and
 * PostgreSQL. The one difference the drivers leave is booleans (SQLite 0/1, PostgreSQL true/false).
 */
export type Row = Record<string, unknown>

const flag = (value: unknown) => value === true || value === 1

export const toUser = (row: Row): User => ({ id: row.id as string, username: row.username as string })

export const toProfile = (row: Row): ProfileRecord => ({
  id: row.id as string,
  username: row.username as string,
  displayName: row.display_name as string,
  statusText: row.status_text as string,
  statusExpiresAt: row.status_expires_at === null ? null : Number(row.status_expires_at),
  timeZone: row.time_zone as string,
  // Only a user with an uploaded avatar has the field.
  ...(row.avatar_id !== null && row.avatar_id !== undefined && { avatarId: row.avatar_id as string })
})

/** The columns of a profile, from `users` (its avatar's id looked up by the unique `avatars.user_id`). */
export const PROFILE_COLUMNS = 'id, username, display_name, status_text, status_expires_at, time_zone, ' +
  '(SELECT a.id FROM avatars a WHERE a.user_id = users.id) AS avatar_id'

/** What the people directory matches a display name by: compatibility forms folded, case ignored. */
export const displayNameKey = (name: string) => name.normalize('NFKC').toLowerCase()

/** A member row: the user's `id` and `username`, and their `role` in the room. */
export const toRoomMember = (row: Row): RoomMemberRecord => ({ id: row.id as string, username: row.username as string, role: row.role as RoomRole })

export const toUserRecord = (row: Row): UserRecord => ({
  id: row.id as string,
  username: row.username as string,
  passwordHash: row.password_hash as string,
  createdAt: row.created_at as number
})

/** A session row joined with its user (`user_id`, `username`). */
export const toSession = (row: Row): SessionRecord => ({
  id: row.id as string,
  expiresAt: row.expires_at as number,
  user: { id: row.user_id as string, username: row.username as string }
})

/** A message row joined with its author's `username` and its room's `room_name` and `room_visibility`. */
export const toSearchHit = (row: Row) => ({
  message: toMessage(row),
  room: { id: row.room_id as string, name: row.room_name as string, visibility: row.room_visibility as Visibility }
})

/** A message row joined with its author's `username`; its reactions are added by `withReactions`. */
export const toMessage = (row: Row): Message => ({
  id: row.id as string,
  roomId: row.room_id as string,
  seq: row.seq as number,
  author: { id: row.author_id as string, username: row.username as string },
  text: row.text as string,
  clientId: row.client_id as string,
  createdAt: row.created_at as number,
  editedAt: row.edited_at as number | null,
  deleted: flag(row.deleted),
  reactions: [],
  // A new message has never changed (the group commit's statement does not return the column).
  rev: (row.rev as number | undefined) ?? 0,
  // Thread fields only where they say something: a reply's root, a root's replies.
  ...(row.thread_root_id != null && { threadRootId: row.thread_root_id as string, alsoInRoom: flag(row.also_in_room) }),
  ...((row.reply_count as number | undefined ?? 0) > 0 && { replyCount: row.reply_count as number, lastReplyAt: row.last_reply_at as number }),
  // Only a message with an image has the field (reads join `images` as image_*, see IMAGE_COLUMNS).
  ...(row.image_id !== null && row.image_id !== undefined && { image: toImage(row, 'image_') })
})

/** A message row's image columns, joined from `images` (`LEFT JOIN images i ON i.message_id = m.id`). */
export const IMAGE_COLUMNS = 'i.id AS image_id, i.mime AS image_mime, i.width AS image_width, i.height AS image_height, i.size AS image_size'

/**
 * An image's id, type and size from its columns named `${prefix}id`, `${prefix}mime` and so on:
 * no prefix for an `images` or `avatars` row, `image_` for a message's joined ones (IMAGE_COLUMNS).
 */
export const toImage = (row: Row, prefix = ''): Image => ({
  id: row[`${prefix}id`] as string,
  mime: row[`${prefix}mime`] as ImageMime,
  width: row[`${prefix}width`] as number,
  height: row[`${prefix}height`] as number,
  size: row[`${prefix}size`] as number
})

/** An `images` row without its bytes. */
export const toImageRecord = (row: Row): ImageRecord => ({
  ...toImage(row),
  roomId: row.room_id as string,
  uploaderId: row.uploader_id as string,
  createdAt: row.created_at as number,
  messageId: row.message_id as string | null
})

/** An `avatars` row without its bytes. */
export const toAvatar = (row: Row): AvatarRecord => ({ ...toImage(row), userId: row.user_id as string, createdAt: Number(row.created_at) })

/**
 * The ids of the messages that may have reactions: every reaction takes a rev, so a message
 * never changed (rev 0, most of them) has none, and a page of those needs no look-up.
 */
export const reactableIds = (messages: readonly Message[]) => messages.filter((message) => (message.rev ?? 0) > 0).map((message) => message.id)

/**
 * The messages with their reactions, from reaction rows (`message_id`, `emoji`, `user_id`,
 * `username`) ordered by message, then by each emoji's earliest standing reaction, then by the order of reacting.
 */
export const withReactions = (messages: Message[], rows: Row[]): Message[] => {
  if (rows.length === 0) return messages
  const byMessage = new Map<string, Reaction[]>()
  for (const row of rows) {
    let reactions = byMessage.get(row.message_id as string)
    if (!reactions) byMessage.set(row.message_id as string, reactions = [])
    const last = reactions.at(-1)
    const reaction = last !== undefined && last.emoji === row.emoji ? last : { emoji: row.emoji as string, count: 0, users: [] }
    if (reaction !== last) reactions.push(reaction)
    reaction.users.push(toUser({ id: row.user_id, username: row.username }))
    reaction.count++
  }
  return messages.map((message) => ({ ...message, reactions: byMessage.get(message.id) ?? [] }))
}

export const toRoomInfo = (row: Row): RoomInfo => ({
  id: row.id as string,
  name: row.name as string,
  topic: row.topic as string,
  visibility: row.visibility as Visibility,
  lastSeq: row.last_seq as number,
  lastRev: row.last_rev as number
})

export const toRoom = (row: Row): RoomRecord => ({ ...toRoomInfo(row), memberCount: row.member_count as number })

/** A room row with the user's membership (`member`, null when not one), marker and unread count. */
export const toUserRoom = (row: Row): UserRoomRecord => ({
  ...toRoom(row),
  member: row.member !== null,
  lastReadSeq: (row.last_read_seq as number | null) ?? 0,
  unread: (row.unread as number | null) ?? 0
})

export const toNotification = (row: Row): Notification => ({
  id: row.id as string,
  kind: row.kind as NotificationKind,
  title: row.title as string,
  body: row.body as string,
  url: row.url as string | null,
  createdAt: row.created_at as number,
  readAt: row.read_at as number | null,
  roomId: (row.room_id ?? null) as string | null,
  roomName: (row.room_name ?? null) as string | null,
  actor: (row.actor ?? null) as string | null
})

export const toRoomPreference = (row: Row): RoomPreference => ({
  roomId: row.room_id as string,
  level: (row.level ?? null) as RoomLevel | null,
  mutedUntil: row.muted_until === null || row.muted_until === undefined ? null : Number(row.muted_until)
})

/** A room preference after a change (fields left out stay), from its row if it has one. */
export const changedRoomPreference = (row: Row | undefined, roomId: string, change: { level?: RoomLevel | null | undefined, mutedUntil?: number | null | undefined }): RoomPreference => {
  const current = row ? toRoomPreference(row) : { roomId, level: null, mutedUntil: null }
  return {
    roomId,
    level: change.level === undefined ? current.level : change.level,
    mutedUntil: change.mutedUntil === undefined ? current.mutedUntil : change.mutedUntil
  }
}

export const toNotificationSettings = (row: Row | undefined): NotificationSettings => row === undefined
  ? { ...defaultNotificationSettings }
  : {
      dndUntil: row.dnd_until === null ? null : Number(row.dnd_until),
      schedule: row.schedule === null ? null : JSON.parse(row.schedule as string) as QuietSchedule,
      desktopKinds: row.desktop_kinds === null ? [...defaultNotificationSettings.desktopKinds] : JSON.parse(row.desktop_kinds as string) as NotificationKind[]
    }

/** An alert row; a move's `kind`, `pct` and `minutes`, and a fired one's time and price, only when there are some. */
export const toAlert = (row: Row): AlertRecord => {
  const alert: AlertRecord = {
    id: row.id as string,
    userId: row.user_id as string,
    symbol: row.symbol as string,
    direction: row.direction as AlertDirection,
    price: row.price as number,
    createdAt: row.created_at as number
  }
  const kind = (row.kind as AlertKind | undefined) ?? 'cross'
  if (kind !== 'cross') {
    alert.kind = kind
    alert.pct = row.pct as number
    if (row.minutes !== null && row.minutes !== undefined) alert.minutes = row.minutes as number
  }
  if (row.triggered_at !== null && row.triggered_at !== undefined) {
    alert.firedAt = row.triggered_at as number
    alert.firedPrice = (row.fired_price as number | null) ?? null
  }
  return alert
}

export const toWatchlist = (row: Row): Watchlist => ({
  id: row.id as string,
  name: row.name as string,
  symbols: JSON.parse(row.symbols as string) as string[],
  version: row.version as number
})

/** The expected failures every store reports the same way. */
export const StoreErrors = {
  usernameTaken: () => new AppError('conflict', 'That username is taken.'),
  noSuchRoom: () => new AppError('not_found', 'No such room.'),
  messageDeleted: () => new AppError('conflict', 'That message was deleted.'),
  noSuchMessage: () => new AppError('not_found', 'No such message.'),
  notAThreadRoot: () => new AppError('invalid_payload', 'threadRootId: not a message of this room that starts a thread (a reply cannot).'),
  tooManyReactions: (maxDistinct: number) =>
    new AppError('conflict', `This message already has ${maxDistinct} different reactions, the most allowed. Add to one of them instead.`),
  badSearchCursor: () => new AppError('invalid_payload', 'cursor: not one that this search gave.'),
  noSuchImage: () => new AppError('not_found', 'No such image: upload it to this room first (unsent images expire after an hour).'),
  imageSent: () => new AppError('conflict', 'That image is already in a message. Upload it again to send it again.'),
  tooManyImages: (maxPending: number) =>
    new AppError('conflict', `You already have ${maxPending} uploaded images waiting to be sent, the most allowed. Send or wait for them to expire first.`),
  tooManyAlerts: (maxPending: number) =>
    new AppError('conflict', `You already have ${maxPending} pending alerts, the most allowed. Delete one first.`),
  tooManyWatchlists: (maxLists: number) =>
    new AppError('conflict', `You already have ${maxLists} watchlists, the most allowed. Delete one first.`),
  noSuchWatchlist: () => new AppError('not_found', 'No such watchlist.'),
  staleWatchlist: () => new AppError('conflict', 'This watchlist was changed elsewhere meanwhile: read it again and redo the change.')
}

/**
 * Refuses an image that cannot go in a new message by this author in this room: none (or another
 * user's, another room's, or expired: uploaded at or before `uploadedAfter`) is `not_found`, one
 * already in a message `conflict`. `row` is its `uploader_id, room_id, created_at, message_id`.
 */
export function checkAttachable (row: Row | undefined, { roomId, authorId }: { roomId: string, authorId: string }, uploadedAfter: number) {
  if (!row || row.uploader_id !== authorId || row.room_id !== roomId) throw StoreErrors.noSuchImage()
  if (row.message_id !== null) throw StoreErrors.imageSent()
  if ((row.created_at as number) <= uploadedAfter) throw StoreErrors.noSuchImage()
}
