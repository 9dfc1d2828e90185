import { Type, type Static } from 'typebox'
import { UserSchema, type ReservedUsername } from './auth.ts'
import { ImageSchema } from './images.ts'
import { command, push, route } from './protocol.ts'
import { REACTIONS_PER_MESSAGE, ROOM_MENTION_OPEN_LIMIT } from './limits.ts'
import { peoplePushes } from './people.ts'
import { EmojiText, EmptySchema, IdSchema, NameText, TimestampSchema, UsernameSchema, VisibleOrEmptyText, VisibleText, WellFormedText } from './schemas.ts'
import { SEARCH_PAGE, SEARCH_QUERY_MAX_LENGTH } from './search.ts'

export const VisibilitySchema = Type.Enum(['public', 'private', 'direct'])
export type Visibility = Static<typeof VisibilitySchema>

export const SeqSchema = Type.Integer({ minimum: 0, description: 'per-room message sequence number' })
/**
 * A per-room change number: every edit, deletion or reaction takes the room's next one, so that
 * changes to messages already held are caught up by it as new messages are by seq.
 */
const rev = (description: string) => Type.Integer({ minimum: 0, description })
export const RevSchema = rev('per-room change number: every edit, deletion or reaction takes the room\'s next one')

export const REACTION_MAX_LENGTH = 32
export const ReactionEmojiSchema = EmojiText({
  minLength: 1,
  maxLength: REACTION_MAX_LENGTH,
  description: 'one emoji (a single grapheme) or a `:shortcode:` of 1-30 of a-z 0-9 _ + -'
})

/** One emoji on a message: how many reacted with it and who, in the order they reacted. */
export const ReactionSchema = Type.Object({
  emoji: Type.String(),
  count: Type.Integer({ minimum: 1 }),
  users: Type.Array(UserSchema)
})
export type Reaction = Static<typeof ReactionSchema>

export const RoomSchema = Type.Object({
  id: IdSchema,
  name: Type.String(),
  topic: Type.String(),
  visibility: VisibilitySchema,
  memberCount: Type.Integer(),
  onlineCount: Type.Integer(),
  unread: Type.Integer(),
  lastSeq: SeqSchema,
  lastRev: Type.Optional(rev('the room\'s newest change number (`chat:join {changesSince}`)')),
  lastReadSeq: Type.Integer({ minimum: 0, description: 'your read marker: every message up to this seq counts as read (0 when you are not a member)' }),
  joined: Type.Boolean({ description: 'you are a member; public rooms you have not joined are listed to browse' })
})
export type Room = Static<typeof RoomSchema>

export const MessageSchema = Type.Object({
  id: IdSchema,
  roomId: IdSchema,
  seq: SeqSchema,
  author: UserSchema,
  text: Type.String(),
  clientId: Type.String(),
  createdAt: TimestampSchema,
  editedAt: Type.Union([TimestampSchema, Type.Null()]),
  deleted: Type.Boolean(),
  reactions: Type.Optional(Type.Array(ReactionSchema, { description: 'every emoji reacted with, in the order of the earliest reaction standing with each, users in the order they reacted; always sent by this server' })),
  rev: Type.Optional(rev('the change number of the message\'s last edit, deletion, reaction or thread reply; 0 when never changed')),
  threadRootId: Type.Optional(IdSchema),
  alsoInRoom: Type.Optional(Type.Boolean({ description: 'a thread reply also shown in the room\'s timeline (absent: only in its thread)' })),
  replyCount: Type.Optional(Type.Integer({ minimum: 1, description: 'a thread\'s root: how many replies it has (absent: none)' })),
  lastReplyAt: Type.Optional(TimestampSchema),
  image: Type.Optional(ImageSchema)
})
export type Message = Static<typeof MessageSchema>

/** What a member may do in a room: the owner (its creator) everything, admins change it and remove members, members talk. */
export const RoomRoles = { owner: 'owner', admin: 'admin', member: 'member' } as const
export const RoomRoleSchema = Type.Enum([RoomRoles.owner, RoomRoles.admin, RoomRoles.member], {
  description: '`owner` (the creator; renames, sets the topic, names admins, removes anyone), `admin` (renames, sets the topic, removes members), `member`'
})
export type RoomRole = Static<typeof RoomRoleSchema>
/** The roles that may change a room (rename, topic, remove members, `@room` in a big room). */
export const canManageRoom = (role: RoomRole | null | undefined) => role === RoomRoles.owner || role === RoomRoles.admin

export const MemberSchema = Type.Object({
  id: IdSchema,
  username: Type.String(),
  online: Type.Boolean(),
  role: Type.Optional(RoomRoleSchema)
})
export type Member = Static<typeof MemberSchema>

/** `@room` in a message notifies every member; in a room of more members than this, only its owner and admins may use it. */
export const ROOM_MENTION = 'room' satisfies ReservedUsername

export const MESSAGE_MAX_LENGTH = 4000
export const HISTORY_PAGE = 50
export const CATCH_UP_LIMIT = 500

/** 1-4000 characters with at least one visible character; stored trimmed. */
export const MessageTextSchema = VisibleText({ minLength: 1, maxLength: MESSAGE_MAX_LENGTH })
/** A message's text, or none beside an image. */
const SendTextSchema = VisibleOrEmptyText({ maxLength: MESSAGE_MAX_LENGTH, description: 'empty only with `imageId`' })
export const ClientIdSchema = Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'chosen by the client; a retry reuses it' })
export const RoomNameSchema = NameText({ minLength: 2, maxLength: 40, description: 'stored in NFC; unique among public rooms, ignoring case and compatibility forms' })
export const TopicSchema = WellFormedText({ maxLength: 200 })

/**
 * What makes two room names the same: compatibility forms folded (NFKC: a full-width "ｇｅｎｅｒａｌ"
 * is "general") and case ignored.
 */
export const roomNameKey = (name: string) => name.normalize('NFKC').toLowerCase()
export const HistoryLimitSchema = Type.Integer({ minimum: 1, maximum: 100, default: HISTORY_PAGE })

export const SearchHitSchema = Type.Object({
  message: MessageSchema,
  room: Type.Object({ id: IdSchema, name: Type.String(), visibility: VisibilitySchema })
})
export type SearchHit = Static<typeof SearchHitSchema>

const SearchPageSchema = Type.Object({
  hits: Type.Array(SearchHitSchema, { description: 'newest first' }),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'the next page\'s `cursor`; null on the last page' })
})
export type SearchPage = Static<typeof SearchPageSchema>

const MessagePageSchema = Type.Object({ messages: Type.Array(MessageSchema), hasMore: Type.Boolean() })
/** A message's reactions as they now are (`chat:react`'s ack and the `chat:reactions` push). */
const ReactionsStateSchema = Type.Object({ roomId: IdSchema, messageId: IdSchema, seq: SeqSchema, rev: RevSchema, reactions: Type.Array(ReactionSchema) })
export type ReactionsState = Static<typeof ReactionsStateSchema>
const strict = { additionalProperties: false } as const

export const chatCommands = {
  'chat:join': command({
    cost: 6,
    summary: 'Follow a room. Without `since`: the latest 50 messages; with it, every message after that seq (up to 500, oldest first). ' +
      'With `since` and `changesSince` (a rev), also the messages up to `since` that were edited, deleted or reacted to since that rev.',
    payload: Type.Object({
      roomId: IdSchema,
      since: Type.Optional(SeqSchema),
      changesSince: Type.Optional(rev('with `since`: the room\'s `lastRev` (or `changesThrough`) as last seen'))
    }, strict),
    data: Type.Object({
      room: RoomSchema,
      members: Type.Array(MemberSchema),
      messages: Type.Array(MessageSchema),
      hasMore: Type.Boolean(),
      changed: Type.Optional(Type.Array(MessageSchema, {
        description: 'with `changesSince`: messages with seq <= `since` changed after that rev, as they now are, oldest change first (up to 500)'
      })),
      changesThrough: Type.Optional(rev('with `changesSince`: every change up to this rev is in `changed`; below `room.lastRev`, ask again from here'))
    })
  }),
  'chat:leave': command({
    summary: 'Stop following a room on this socket.',
    payload: Type.Object({ roomId: IdSchema }, strict),
    data: EmptySchema
  }),
  'chat:send': command({
    cost: 2,
    summary: 'Post a message, acked once committed. The same clientId again returns the same message and stores nothing new. ' +
      'With `threadRootId` (a message of the room that is not itself a reply): a reply in that message\'s thread, shown in the room\'s timeline only with `alsoInRoom`. ' +
      'With `imageId`, an image you uploaded to this room and have not sent yet (`POST /api/rooms/:roomId/images`) goes with it, and the text may be empty. ' +
      `\`@room\` notifies every member; in a room of more than ${ROOM_MENTION_OPEN_LIMIT} members only its owner and admins may use it (\`forbidden\` otherwise).`,
    payload: Type.Object({
      roomId: IdSchema,
      text: SendTextSchema,
      clientId: ClientIdSchema,
      threadRootId: Type.Optional(IdSchema),
      alsoInRoom: Type.Optional(Type.Boolean({ description: 'with `threadRootId`: show the reply in the room\'s timeline too' })),
      imageId: Type.Optional(IdSchema)
    }, strict),
    data: Type.Object({ message: MessageSchema })
  }),
  'chat:thread': command({
    cost: 5,
    summary: 'A thread: its root message and its replies (seq < before, default: the newest), a page of `limit` returned oldest first, and whether you follow it. ' +
      'Replies are messages of the room with `threadRootId`: `chat:join {since}` catches up on them too.',
    payload: Type.Object({ roomId: IdSchema, rootId: IdSchema, before: Type.Optional(SeqSchema), limit: Type.Optional(HistoryLimitSchema) }, strict),
    data: Type.Object({ root: MessageSchema, messages: Type.Array(MessageSchema), hasMore: Type.Boolean(), following: Type.Boolean() })
  }),
  'chat:follow-thread': command({
    summary: 'Follow a thread (notified of every reply) or stop following it. The root\'s author, each replier and each member mentioned in a reply follow it by themselves, unless they stopped.',
    payload: Type.Object({ roomId: IdSchema, rootId: IdSchema, follow: Type.Boolean() }, strict),
    data: Type.Object({ following: Type.Boolean() })
  }),
  'chat:edit': command({
    cost: 2,
    summary: 'Edit one of your own messages.',
    payload: Type.Object({ messageId: IdSchema, text: MessageTextSchema }, strict),
    data: Type.Object({ message: MessageSchema })
  }),
  'chat:delete': command({
    cost: 2,
    summary: 'Delete one of your own messages; it keeps its seq and loses its text.',
    payload: Type.Object({ messageId: IdSchema }, strict),
    data: Type.Object({ message: MessageSchema })
  }),
  'chat:react': command({
    cost: 1,
    summary: 'Add or take back your reaction to a message of a room you belong to: `on` true adds, false removes (safe to retry), absent toggles. ' +
      `A message takes at most ${REACTIONS_PER_MESSAGE} different emoji.`,
    payload: Type.Object({
      messageId: IdSchema,
      emoji: ReactionEmojiSchema,
      on: Type.Optional(Type.Boolean({ description: 'true: reacted, false: not; absent: the opposite of now' }))
    }, strict),
    data: ReactionsStateSchema
  }),
  'chat:history': command({
    cost: 5,
    summary: 'Older messages: seq < before (default: the newest), a page of `limit` returned oldest first.',
    payload: Type.Object({ roomId: IdSchema, before: Type.Optional(SeqSchema), limit: Type.Optional(HistoryLimitSchema) }, strict),
    data: MessagePageSchema
  }),
  'chat:typing': command({
    summary: 'Say you are (or stopped) typing; relayed as volatile and expiring after a few seconds without a refresh. Ack optional.',
    payload: Type.Object({ roomId: IdSchema, typing: Type.Boolean() }, strict),
    data: EmptySchema,
    ackOptional: true
  }),
  'chat:search': command({
    cost: 5,
    summary: 'Messages of every room you may read whose words start with each word of `query` (no stemming; a one-character word matches only itself), newest first. ' +
      'Filters in the query: `in:room`, `from:user`, `has:link`, `before:YYYY-MM-DD`, `after:YYYY-MM-DD` (UTC days). ' +
      'Deleted messages are never found; an edit is found by its new text.',
    payload: Type.Object({
      query: VisibleText({ minLength: 1, maxLength: SEARCH_QUERY_MAX_LENGTH }),
      cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'the previous page\'s `nextCursor`' })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: SEARCH_PAGE }))
    }, strict),
    data: SearchPageSchema
  }),
  'chat:read': command({
    summary: 'Mark the room read up to `seq`. The marker only moves forward.',
    payload: Type.Object({ roomId: IdSchema, seq: SeqSchema }, strict),
    data: Type.Object({ unread: Type.Integer() })
  }),
  'chat:mark-unread': command({
    summary: 'Move your read marker back so that the message with `seq` is the first unread one (members only; a seq past the room\'s last counts as its last).',
    payload: Type.Object({ roomId: IdSchema, seq: Type.Integer({ minimum: 1, description: 'per-room message sequence number' }) }, strict),
    data: Type.Object({ unread: Type.Integer() })
  }),
  'chat:room-update': command({
    cost: 2,
    summary: 'Rename a room or set its topic (owner and admins; not a direct room). A public room\'s new name must be free (`conflict`). ' +
      'Everyone who can see the room gets `chat:room-changed`.',
    payload: Type.Object({ roomId: IdSchema, name: Type.Optional(RoomNameSchema), topic: Type.Optional(TopicSchema) }, strict),
    data: Type.Object({ room: RoomSchema })
  }),
  'chat:member-role': command({
    cost: 2,
    summary: 'Make a member an admin, or an admin a member again (the owner only; not the owner\'s own role). The members get `chat:member-changed`.',
    payload: Type.Object({ roomId: IdSchema, userId: IdSchema, role: Type.Enum([RoomRoles.admin, RoomRoles.member]) }, strict),
    data: Type.Object({ member: MemberSchema })
  }),
  'chat:member-remove': command({
    cost: 2,
    summary: 'Remove someone from a room: the owner removes admins and members, an admin removes members (nobody removes the owner; not a direct room). ' +
      'The members and the removed user get `chat:member-left`; the removed user\'s sockets stop following the room at once, on every node. ' +
      'A public room can be joined again.',
    payload: Type.Object({ roomId: IdSchema, userId: IdSchema }, strict),
    data: EmptySchema
  }),
  'chat:room-leave': command({
    cost: 2,
    summary: 'Stop being a member of a room (not a direct room). An owner who leaves hands the room to its longest-standing admin, ' +
      'or else to its longest-standing member (`chat:member-changed`). The members get `chat:member-left`.',
    payload: Type.Object({ roomId: IdSchema }, strict),
    data: EmptySchema
  }),
  'chat:focus': command({
    summary: 'Say which room this tab shows and whether the tab is visible (`roomId` null: no room). ' +
      'Mentions and direct messages are notified unless a visible tab of yours shows their room. Sent again after every reconnect. Ack optional.',
    payload: Type.Object({ roomId: Type.Union([IdSchema, Type.Null()]), visible: Type.Boolean() }, strict),
    data: EmptySchema,
    ackOptional: true
  })
}

export const chatPushes = {
  'chat:message': push({ summary: 'A new message (a thread reply too: see `threadRootId`), to every socket in the room but the sender\'s.', payload: Type.Object({ message: MessageSchema }) }),
  'chat:message-updated': push({ summary: 'A message was edited, or a thread\'s root has a new reply (`replyCount`, `lastReplyAt`, `rev`).', payload: Type.Object({ message: MessageSchema }) }),
  'chat:reactions': push({ summary: 'A message\'s reactions changed: all of them as they now are, to every socket in the room but the reactor\'s.', payload: ReactionsStateSchema }),
  'chat:message-deleted': push({ summary: 'A message was deleted.', payload: Type.Object({ roomId: IdSchema, messageId: IdSchema, seq: SeqSchema }) }),
  'chat:presence': push({ summary: 'A user\'s first socket in the room came, or their last one went.', payload: Type.Object({ roomId: IdSchema, user: UserSchema, online: Type.Boolean() }) }),
  'chat:typing': push({ summary: 'A user started or stopped typing (volatile).', payload: Type.Object({ roomId: IdSchema, user: UserSchema, typing: Type.Boolean() }) }),
  'chat:room': push({ summary: 'A room you can see was created or changed.', payload: Type.Object({ room: RoomSchema }) }),
  'chat:room-changed': push({
    summary: 'A room was renamed or its topic set: to its members, and to everyone for a public room.',
    payload: Type.Object({ roomId: IdSchema, name: Type.String(), topic: Type.String(), by: UserSchema })
  }),
  'chat:member-changed': push({
    summary: 'A member\'s role changed (named admin, made a member again, or made owner when the owner left): to the room\'s members.',
    payload: Type.Object({ roomId: IdSchema, member: MemberSchema })
  }),
  'chat:member-left': push({
    summary: 'A member left the room, or was removed (`by` says who removed them): to the room\'s members, the one who went included.',
    payload: Type.Object({ roomId: IdSchema, user: UserSchema, by: Type.Optional(UserSchema) })
  }),
  'chat:read': push({ summary: 'Your read marker moved (from another tab): forward by `chat:read`, or back by `chat:mark-unread`; with the new unread count.', payload: Type.Object({ roomId: IdSchema, seq: SeqSchema, unread: Type.Integer() }) }),
  /** Profiles travel on /chat: it is where the rooms are that say who sees whom. */
  ...peoplePushes
}

const RoomParamsSchema = Type.Object({ roomId: IdSchema })

export const chatRoutes = {
  listRooms: route({
    method: 'GET',
    url: '/api/rooms',
    summary: 'Public rooms and the rooms you belong to, with counts for you.',
    auth: 'user',
    response: { 200: Type.Object({ rooms: Type.Array(RoomSchema) }) }
  }),
  createRoom: route({
    method: 'POST',
    url: '/api/rooms',
    summary: 'Create a public or private room; you become its first member.',
    auth: 'user',
    body: Type.Object({ name: RoomNameSchema, topic: Type.Optional(TopicSchema), visibility: Type.Enum(['public', 'private']) }, strict),
    response: { 201: Type.Object({ room: RoomSchema }) }
  }),
  invite: route({
    method: 'POST',
    url: '/api/rooms/:roomId/members',
    summary: 'Invite a user to a private room (members only).',
    auth: 'user',
    params: RoomParamsSchema,
    body: Type.Object({ username: UsernameSchema }, strict),
    response: { 200: Type.Object({ room: RoomSchema }) }
  }),
  members: route({
    method: 'GET',
    url: '/api/rooms/:roomId/members',
    summary: 'The members of a room you can see, with online state.',
    auth: 'user',
    params: RoomParamsSchema,
    response: { 200: Type.Object({ members: Type.Array(MemberSchema) }) }
  }),
  openDirect: route({
    method: 'POST',
    url: '/api/dms',
    summary: 'The direct room of you and another user, created once.',
    auth: 'user',
    body: Type.Object({ username: UsernameSchema }, strict),
    response: { 200: Type.Object({ room: RoomSchema }) }
  }),
  messages: route({
    method: 'GET',
    url: '/api/rooms/:roomId/messages',
    summary: 'Older messages, as `chat:history`.',
    auth: 'user',
    params: RoomParamsSchema,
    querystring: Type.Object({ before: Type.Optional(SeqSchema), limit: Type.Optional(HistoryLimitSchema) }, strict),
    response: { 200: MessagePageSchema }
  })
}
