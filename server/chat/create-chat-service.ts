import type { User } from '../../shared/auth.ts'
import {
  canManageRoom, CATCH_UP_LIMIT, HISTORY_PAGE, ROOM_MENTION, RoomRoles, roomNameKey,
  type chatCommands, type chatPushes, type Member, type Message, type ReactionsState, type Room, type RoomRole, type SearchPage
} from '../../shared/chat.ts'
import { IMAGE_PENDING_TTL_MS, REACTIONS_PER_MESSAGE, ROOM_MENTION_OPEN_LIMIT } from '../../shared/limits.ts'
import { parseSearchQuery, SEARCH_PAGE } from '../../shared/search.ts'
import type { CommandPayload } from '../../shared/protocol.ts'
import { AppError } from '../errors.ts'
import { mentionedNames } from '../notifications/chat-notifications.ts'
import { takeOrRefuse } from '../rate-limit/take-or-refuse.ts'
import type { RateLimiter } from '../rate-limit/rate-limiter.ts'
import type { Publisher } from '../realtime/publisher.ts'
import type { RoomInfo, Storage, UserRoomRecord } from '../storage/types.ts'
import { fitPage } from './fit-page.ts'
import type { Presence, PresenceChange } from './presence.ts'
import { createTypingTracker } from './typing.ts'

type Commands = typeof chatCommands
type Payload<K extends keyof Commands> = CommandPayload<Commands, K>

/** Who acts: a user, and the socket they act from (absent over HTTP). */
export interface Actor {
  user: User
  socketId?: string
}

export interface ChatServiceDeps {
  storage: Storage
  /** Pushes to chat clients on every node, and this node's sockets following rooms. */
  publish: Publisher<typeof chatPushes>
  presence: Presence
  /** Messages per user: bursts allowed, then a steady rate. */
  sendLimiter: RateLimiter
  /** New rooms and direct rooms per user. */
  roomLimiter: RateLimiter
  /** Reactions added or taken back per user. */
  reactLimiter: RateLimiter
  /** Usernames looked up per user (invitations, direct rooms): each answer says whether a name exists. */
  lookupLimiter: RateLimiter
  /** Searches per user. */
  searchLimiter: RateLimiter
  /** Room changes per user: renames, topics, roles, removals, leaving. */
  roomChangeLimiter: RateLimiter
  now?: () => number
  typingTtlMs?: number
  /** Called after a new message is committed and pushed (mentions, DM notifications). */
  onMessage?: (message: Message, room: RoomInfo) => void
  /** Called after a user was invited to a private room. */
  onInvite?: (room: RoomInfo, invitee: User, by: User) => void
}

/** Rooms, messages, presence and typing: every rule of the chat feature, for sockets and HTTP alike. */
export function createChatService ({
  storage, publish, presence, sendLimiter, reactLimiter, roomLimiter, lookupLimiter, searchLimiter, roomChangeLimiter,
  now = Date.now, typingTtlMs = 5000, onMessage, onInvite
}: ChatServiceDeps) {
  const chat = storage.chat
  const typing = createTypingTracker<User>({
    ttlMs: typingTtlMs,
    minIntervalMs: 1000,
    onChange (roomId, user, isTyping) {
      publish.emit({ room: roomId, exceptUser: user.id }, 'chat:typing', { roomId, user, typing: isTyping }, { volatile: true })
    }
  })

  /** A direct room is named after the other person, as each side sees it. */
  const displayName = (room: Pick<RoomInfo, 'name' | 'visibility'>, viewer: User) => room.visibility !== 'direct'
    ? room.name
    : room.name.split(',').find((name) => name !== viewer.username) ?? viewer.username

  const view = async (room: UserRoomRecord, viewer: User): Promise<Room> => ({
    id: room.id,
    name: displayName(room, viewer),
    topic: room.topic,
    visibility: room.visibility,
    memberCount: room.memberCount,
    onlineCount: await presence.count(room.id),
    unread: room.unread,
    lastSeq: room.lastSeq,
    lastRev: room.lastRev,
    lastReadSeq: room.lastReadSeq,
    joined: room.member
  })

  /**
   * The room if the user may read it (public, or a member); `forbidden` otherwise. No counts:
   * this runs on every send, and counting members and unread messages there is most of its cost.
   */
  const readable = async (roomId: string, user: User) => {
    const room = await chat.getRoomAccess(roomId, user.id)
    if (!room) throw new AppError('not_found', 'No such room.')
    if (room.visibility !== 'public' && !room.member) throw new AppError('forbidden', 'You are not a member of this room.')
    return room
  }

  /** The room if the user may write to it; joining a public room makes one a member. */
  const writable = async (roomId: string, user: User) => {
    const room = await readable(roomId, user)
    if (!room.member) {
      await chat.addMember(room.id, user.id, now())
      return { ...room, member: true }
    }
    return room
  }

  const ownMessage = async (messageId: string, user: User) => {
    const message = await chat.getMessage(messageId)
    if (!message) throw new AppError('not_found', 'No such message.')
    if (message.author.id !== user.id) throw new AppError('forbidden', 'You can only change your own messages.')
    return message
  }

  const members = async (roomId: string): Promise<Member[]> => {
    const online = await presence.online(roomId)
    return (await chat.members(roomId)).map((member) => ({ ...member, online: online.has(member.id) }))
  }

  /** The room as `user` sees it (a room they can see, so it exists). */
  const roomFor = async (roomId: string, user: User) => view((await chat.getRoom(roomId, user.id))!, user)

  /** Tells each user who can now see a room about it, with their own counts; returns what each was told. */
  const announceRoom = (roomId: string, audience: User[]) => Promise.all(audience.map(async (user) => {
    const room = await roomFor(roomId, user)
    publish.emit({ user: user.id }, 'chat:room', { room })
    return room
  }))

  /** Presence after a socket stopped following a room: offline there when it was the user's last socket. */
  const left = async ({ user, socketId }: Required<Actor>, roomId: string) => {
    if (await presence.remove(roomId, user.id, socketId)) {
      typing.stop(roomId, user.id)
      publish.emit({ room: roomId }, 'chat:presence', { roomId, user, online: false })
    }
  }

  /**
   * What changed in messages up to `since` after rev `changesSince` (edits, deletions, reactions),
   * up to the room's rev as read: a client that was away gets them as it gets new messages.
   */
  const changesSince = async (room: RoomInfo, since: number, afterRev: number) => {
    const { messages, hasMore } = fitPage(
      await chat.messagesChanged(room.id, { upToSeq: since, afterRev, throughRev: room.lastRev }, CATCH_UP_LIMIT), 'oldest')
    return { changed: messages, changesThrough: hasMore ? messages.at(-1)!.rev! : Math.max(room.lastRev, afterRev) }
  }

  /**
   * The room and the actor's role in it, for a change to the room: members only (`forbidden`), and
   * never a direct room (`conflict`: it has no roles). Takes from the room-change budget first.
   */
  const managing = async (user: User, roomId: string) => {
    await takeOrRefuse(roomChangeLimiter, user.id, 'You are changing rooms too fast.')
    const room = await readable(roomId, user)
    if (room.visibility === 'direct') throw new AppError('conflict', 'A direct conversation has no roles and cannot be changed.')
    const role = room.member ? await chat.memberRole(room.id, user.id) : null
    if (role === null) throw new AppError('forbidden', 'You are not a member of this room.')
    return { room, role }
  }

  /** A user is out of a room: told (with everyone still in it), and every socket of theirs stops following it, on every node. */
  const memberGone = (roomId: string, gone: User, stayers: readonly string[], by?: User) => {
    publish.emit({ users: [...stayers, gone.id] }, 'chat:member-left', { roomId, user: gone, ...(by && { by }) })
    publish.unfollowUser(gone.id, roomId)
  }

  const memberIds = async (roomId: string) => (await chat.members(roomId)).map((member) => member.id)

  // A socket taken out of a room by unfollowUser (on this node): offline there, as after chat:leave.
  publish.onUnfollowed((socketId, user, roomId) => {
    left({ user, socketId }, roomId).catch(() => { /* presence is best effort; its own errors are logged there */ })
  })

  /** `@room` in a room of more than ROOM_MENTION_OPEN_LIMIT members is for its owner and admins. */
  const mayMentionRoom = async (user: User, roomId: string) => {
    const [room, role] = await Promise.all([chat.getRoom(roomId, user.id), chat.memberRole(roomId, user.id)])
    if ((room?.memberCount ?? 0) > ROOM_MENTION_OPEN_LIMIT && !canManageRoom(role)) {
      throw new AppError('forbidden', `@room notifies everyone: in a room of more than ${ROOM_MENTION_OPEN_LIMIT} members only its owner and admins may use it.`)
    }
  }

  const reactionsState = ({ roomId, id, seq, rev = 0, reactions = [] }: Message): ReactionsState => ({ roomId, messageId: id, seq, rev, reactions })

  /** A thread's root in a room the user may read (`not_found` for a reply or a message of another room). */
  const threadRoot = async (user: User, roomId: string, rootId: string) => {
    const room = await readable(roomId, user)
    const root = await chat.getMessage(rootId)
    if (!root || root.roomId !== room.id || root.threadRootId !== undefined) throw new AppError('not_found', 'No such thread in this room.')
    return { room, root }
  }

  /**
   * After a reply is committed: everyone in the room sees its root's new count (the replier's
   * sockets too: their ack holds the reply), and the root's author, the replier and the members
   * the reply mentions follow the thread, unless they stopped following it.
   */
  const replied = async (reply: Message, rootId: string) => {
    const root = await chat.getMessage(rootId)
    if (root) publish.emit({ room: reply.roomId }, 'chat:message-updated', { message: root })
    const names = mentionedNames(reply.text)
    const mentioned = names.length === 0 ? [] : (await chat.members(reply.roomId)).filter((member) => names.includes(member.username.toLowerCase()))
    await chat.followThread(rootId, [...(root ? [root.author.id] : []), reply.author.id, ...mentioned.map((member) => member.id)], 'auto')
  }

  const history = async (user: User, roomId: string, before?: number, limit = HISTORY_PAGE) => {
    const room = await readable(roomId, user)
    return fitPage(await chat.messagesBefore(room.id, before ?? room.lastSeq + 1, limit), 'newest')
  }

  return {
    async listRooms (user: User) {
      return Promise.all((await chat.listRooms(user.id)).map((room) => view(room, user)))
    },

    async createRoom (user: User, { name, topic = '', visibility }: { name: string, topic?: string | undefined, visibility: 'public' | 'private' }) {
      await takeOrRefuse(roomLimiter, user.id, 'You are creating rooms too fast.')
      const stored = name.trim().normalize('NFC')
      const created = await chat.createRoom({
        name: stored, nameKey: roomNameKey(stored), topic: topic.trim(), visibility, createdBy: user.id, memberIds: [user.id], now: now()
      })
      if (!created) throw new AppError('conflict', `There is already a public room named ${stored}.`)
      if (visibility === 'public') {
        const room = { ...created, member: false, unread: 0, lastReadSeq: 0 }
        // Everyone sees a new public room; the numbers are the same for all but the creator's membership.
        publish.emit({ everyone: true, exceptUser: user.id }, 'chat:room', { room: await view(room, user) })
      }
      const [mine] = await announceRoom(created.id, [user])
      return mine!
    },

    async invite (user: User, roomId: string, username: string) {
      await takeOrRefuse(lookupLimiter, user.id, 'You are looking up too many usernames.')
      const room = await chat.getRoom(roomId, user.id)
      if (!room) throw new AppError('not_found', 'No such room.')
      if (!room.member) throw new AppError('forbidden', 'Only members can invite.')
      if (room.visibility !== 'private') throw new AppError('conflict', 'Only private rooms take invitations.')
      const [invitee] = await storage.users.findManyByUsername([username])
      if (!invitee) throw new AppError('not_found', `No user named ${username}.`)
      if (!await chat.addMember(room.id, invitee.id, now())) return view(room, user)
      const [, mine] = await announceRoom(room.id, [invitee, user])
      onInvite?.(room, invitee, user)
      return mine!
    },

    async openDirect (user: User, username: string) {
      await takeOrRefuse(lookupLimiter, user.id, 'You are looking up too many usernames.')
      await takeOrRefuse(roomLimiter, user.id, 'You are opening conversations too fast.')
      const [other] = await storage.users.findManyByUsername([username])
      if (!other) throw new AppError('not_found', `No user named ${username}.`)
      if (other.id === user.id) throw new AppError('invalid_payload', 'username: a direct room needs someone else.')
      const { room, created } = await chat.findOrCreateDirect({
        userIds: [user.id, other.id],
        name: [user.username, other.username].join(','),
        now: now()
      })
      if (created) await announceRoom(room.id, [other])
      return roomFor(room.id, user)
    },

    async members (user: User, roomId: string) {
      await readable(roomId, user)
      return members(roomId)
    },

    history,

    /** Follows a room from a socket: catch-up or latest page, members, presence. */
    async join ({ user, socketId }: Required<Actor>, { roomId, since, changesSince: afterRev }: Payload<'chat:join'>) {
      // The room with its counts (membership first: joining a public room makes one a member).
      const room = (await chat.getRoom((await writable(roomId, user)).id, user.id))!
      // The socket may have been disconnected while the room was read (a flood cut off by the
      // command budget, with joins still running): its cleanup has run, and following the room
      // now would leave the user online with nobody to take them off.
      // Following is local and immediate (see Publisher.follow): a disconnect meanwhile would
      // otherwise leave this room (and the presence added below) behind.
      if (!publish.follow(socketId, room.id)) throw new AppError('conflict', 'This connection was closed.')
      if (await presence.add(room.id, user.id, socketId)) {
        publish.emit({ room: room.id, exceptSocket: socketId }, 'chat:presence', { roomId: room.id, user, online: true })
      }
      const page = since === undefined
        ? fitPage(await chat.messagesBefore(room.id, room.lastSeq + 1, HISTORY_PAGE), 'newest')
        : fitPage(await chat.messagesAfter(room.id, since, CATCH_UP_LIMIT), 'oldest')
      const changes = since !== undefined && afterRev !== undefined ? await changesSince(room, since, afterRev) : {}
      return { room: await view(room, user), members: await members(room.id), ...page, ...changes }
    },

    /** Users who went online or offline other than by their own join or leave (their node died; Redis came back). */
    async presenceChanged (changes: PresenceChange[]) {
      const users = new Map<string, Promise<User | null>>()
      for (const { roomId, userId, online } of changes) {
        if (!users.has(userId)) users.set(userId, storage.users.findById(userId))
        const user = await users.get(userId)
        if (!user) continue
        if (!online) typing.stop(roomId, userId)
        publish.emit({ room: roomId }, 'chat:presence', { roomId, user, online })
      }
    },

    /** Stops following a room from a socket (and is offline there when it was the user's last). */
    async leave (actor: Required<Actor>, roomId: string) {
      publish.unfollow(actor.socketId, roomId)
      await left(actor, roomId)
    },

    /**
     * A socket went away while following these rooms. It stays in them until Socket.IO saves its
     * session, so that a quick return (connection-state recovery) finds them again.
     */
    async disconnected (actor: Required<Actor>, roomIds: string[]) {
      await Promise.all(roomIds.map((roomId) => left(actor, roomId)))
    },

    /** A socket came back with its rooms (connection-state recovery): online there again. */
    async resumed ({ user, socketId }: Required<Actor>, roomIds: string[]) {
      for (const roomId of roomIds) {
        if (await presence.add(roomId, user.id, socketId)) {
          publish.emit({ room: roomId, exceptSocket: socketId }, 'chat:presence', { roomId, user, online: true })
        }
      }
    },

    async send ({ user, socketId }: Actor, { roomId, text, clientId, threadRootId, alsoInRoom, imageId }: Payload<'chat:send'>) {
      if (text === '' && imageId === undefined) throw new AppError('invalid_payload', 'text: must contain a visible character (it may be empty only with imageId)')
      await takeOrRefuse(sendLimiter, user.id, 'You are sending too fast.')
      const room = await writable(roomId, user)
      if (room.visibility !== 'direct' && mentionedNames(text).includes(ROOM_MENTION)) await mayMentionRoom(user, room.id)
      const at = now()
      const { message, created } = await chat.appendMessage({
        roomId: room.id,
        authorId: user.id,
        text: text.trim(),
        clientId,
        now: at,
        threadRootId,
        alsoInRoom: threadRootId !== undefined && alsoInRoom === true,
        ...(imageId !== undefined && { image: { id: imageId, uploadedAfter: at - IMAGE_PENDING_TTL_MS } })
      })
      if (!created) return message
      // The author's read marker moved with the append, in the same commit.
      publish.emit({ room: room.id, exceptSocket: socketId }, 'chat:message', { message })
      typing.stop(room.id, user.id)
      if (message.threadRootId !== undefined) await replied(message, message.threadRootId)
      onMessage?.(message, { ...room, lastSeq: message.seq })
      return message
    },

    async edit ({ user, socketId }: Actor, { messageId, text }: Payload<'chat:edit'>) {
      await ownMessage(messageId, user)
      const message = await chat.editMessage(messageId, text.trim(), now())
      publish.emit({ room: message.roomId, exceptSocket: socketId }, 'chat:message-updated', { message })
      return message
    },

    async delete ({ user, socketId }: Actor, { messageId }: Payload<'chat:delete'>) {
      await ownMessage(messageId, user)
      const message = await chat.deleteMessage(messageId, now())
      publish.emit({ room: message.roomId, exceptSocket: socketId }, 'chat:message-deleted', { roomId: message.roomId, messageId, seq: message.seq })
      return message
    },

    /** Adds or takes back the user's reaction to a message of a room they belong to. */
    async react ({ user, socketId }: Actor, { messageId, emoji, on }: Payload<'chat:react'>) {
      await takeOrRefuse(reactLimiter, user.id, 'You are reacting too fast.')
      const target = await chat.getMessage(messageId)
      if (!target) throw new AppError('not_found', 'No such message.')
      if (!(await chat.getRoomAccess(target.roomId, user.id))?.member) throw new AppError('forbidden', 'Only members of the room can react.')
      const { message, changed } = await chat.react({ messageId, userId: user.id, emoji, on, now: now(), maxDistinct: REACTIONS_PER_MESSAGE })
      const state = reactionsState(message)
      if (changed) publish.emit({ room: message.roomId, exceptSocket: socketId }, 'chat:reactions', state)
      return state
    },

    /** A thread's root and a page of its replies (newest page by default, oldest first), in a room the user may read. */
    async thread (user: User, { roomId, rootId, before, limit = HISTORY_PAGE }: Payload<'chat:thread'>) {
      const { room, root } = await threadRoot(user, roomId, rootId)
      const page = fitPage(await chat.threadReplies(root.id, before ?? room.lastSeq + 1, limit), 'newest')
      return { root, ...page, following: (await chat.threadFollowers(root.id)).includes(user.id) }
    },

    /** Follows a thread, or stops following it; following one in a public room makes one a member, as sending does (only members are notified). */
    async followThread (user: User, { roomId, rootId, follow }: Payload<'chat:follow-thread'>) {
      const { root } = await threadRoot(user, roomId, rootId)
      if (follow) await writable(roomId, user)
      await chat.followThread(root.id, [user.id], follow ? 'on' : 'off')
      return { following: follow }
    },

    async typing ({ user }: Actor, { roomId, typing: isTyping }: Payload<'chat:typing'>, followed: boolean) {
      // Only a socket that follows the room may type in it; the check costs no query.
      if (!followed) throw new AppError('forbidden', 'Join the room first.')
      typing.set(roomId, user, isTyping)
    },

    /** Messages of the rooms the user may read, matching the query's words and filters, newest first. */
    async search (user: User, { query: text, cursor, limit = SEARCH_PAGE }: Payload<'chat:search'>): Promise<SearchPage> {
      await takeOrRefuse(searchLimiter, user.id, 'You are searching too fast.')
      const parsed = parseSearchQuery(text)
      if (!parsed.ok) throw new AppError('invalid_payload', `query: ${parsed.reason}`)
      const { terms, room, from, hasLink, before, after } = parsed.query
      const { hits, nextCursor } = await chat.searchMessages({
        userId: user.id,
        terms,
        ...(room !== undefined && { roomKey: roomNameKey(room) }),
        ...(from !== undefined && { authorKey: from.toLowerCase() }),
        hasLink,
        ...(before !== undefined && { before }),
        ...(after !== undefined && { after }),
        ...(cursor !== undefined && { cursor }),
        limit
      })
      return {
        hits: hits.map(({ message, room }) => ({ message, room: { id: room.id, name: displayName(room, user), visibility: room.visibility } })),
        nextCursor
      }
    },

    async read ({ user, socketId }: Actor, { roomId, seq }: Payload<'chat:read'>) {
      const room = await readable(roomId, user)
      if (!room.member) return 0
      const { lastReadSeq, unread } = await chat.markRead(room.id, user.id, seq)
      publish.emit({ user: user.id, exceptSocket: socketId }, 'chat:read', { roomId: room.id, seq: lastReadSeq, unread })
      return unread
    },

    async markUnread ({ user, socketId }: Actor, { roomId, seq }: Payload<'chat:mark-unread'>) {
      const room = await readable(roomId, user)
      if (!room.member) throw new AppError('forbidden', 'Only members have a read marker here.')
      const { lastReadSeq, unread } = await chat.markUnread(room.id, user.id, seq)
      publish.emit({ user: user.id, exceptSocket: socketId }, 'chat:read', { roomId: room.id, seq: lastReadSeq, unread })
      return unread
    },

    /** Renames a room and/or sets its topic (owner and admins). */
    async updateRoom (user: User, { roomId, name, topic }: Payload<'chat:room-update'>) {
      const { room, role } = await managing(user, roomId)
      if (!canManageRoom(role)) throw new AppError('forbidden', 'Only the room\'s owner and admins can change it.')
      const stored = name?.trim().normalize('NFC')
      const updated = await chat.updateRoom({
        roomId: room.id,
        ...(stored !== undefined && { name: stored, nameKey: roomNameKey(stored) }),
        ...(topic !== undefined && { topic: topic.trim() })
      })
      if (!updated) throw new AppError('conflict', `There is already a public room named ${stored}.`)
      const change = { roomId: room.id, name: updated.name, topic: updated.topic, by: user }
      publish.emit(room.visibility === 'public' ? { everyone: true } : { users: await memberIds(room.id) }, 'chat:room-changed', change)
      return roomFor(room.id, user)
    },

    /** Names an admin, or makes an admin a member again (the owner only). */
    async setMemberRole (user: User, { roomId, userId, role }: Payload<'chat:member-role'>) {
      const { room, role: mine } = await managing(user, roomId)
      if (mine !== RoomRoles.owner) throw new AppError('forbidden', 'Only the room\'s owner can change roles.')
      if (userId === user.id) throw new AppError('conflict', 'The owner keeps the owner\'s role (leaving hands it on).')
      const members = await chat.members(room.id)
      const target = members.find((member) => member.id === userId)
      if (!target) throw new AppError('not_found', 'That user is not a member of this room.')
      if (target.role !== role && !await chat.setMemberRole(room.id, userId, role)) throw new AppError('not_found', 'That user is not a member of this room.')
      const online = await presence.online(room.id)
      const member: Member = { id: target.id, username: target.username, online: online.has(target.id), role }
      if (target.role !== role) publish.emit({ users: members.map((m) => m.id) }, 'chat:member-changed', { roomId: room.id, member })
      return member
    },

    /** Removes someone from a room: the owner removes anyone else, an admin removes members. */
    async removeMember (user: User, { roomId, userId }: Payload<'chat:member-remove'>) {
      const { room, role } = await managing(user, roomId)
      if (!canManageRoom(role)) throw new AppError('forbidden', 'Only the room\'s owner and admins can remove members.')
      if (userId === user.id) throw new AppError('conflict', 'Leave the room instead (chat:room-leave).')
      const target: RoomRole | null = await chat.memberRole(room.id, userId)
      if (target === null) throw new AppError('not_found', 'That user is not a member of this room.')
      if (target === RoomRoles.owner || (target === RoomRoles.admin && role !== RoomRoles.owner)) {
        throw new AppError('forbidden', target === RoomRoles.owner ? 'Nobody can remove the room\'s owner.' : 'Only the owner can remove an admin.')
      }
      const gone = (await chat.members(room.id)).find((member) => member.id === userId)!
      const { removed } = await chat.removeMember(room.id, userId)
      if (!removed) throw new AppError('not_found', 'That user is not a member of this room.')
      memberGone(room.id, { id: gone.id, username: gone.username }, await memberIds(room.id), user)
    },

    /**
     * The user stops being a member of a room. An owner who leaves hands the room to the
     * longest-standing admin, or else member; a room left by all stays, with no owner.
     */
    async leaveRoom (user: User, { roomId }: Payload<'chat:room-leave'>) {
      const { room } = await managing(user, roomId)
      const { removed, newOwner } = await chat.removeMember(room.id, user.id)
      if (!removed) throw new AppError('forbidden', 'You are not a member of this room.')
      const stayers = await memberIds(room.id)
      memberGone(room.id, user, stayers)
      if (newOwner) {
        const member: Member = { ...newOwner, online: (await presence.online(room.id)).has(newOwner.id) }
        publish.emit({ users: stayers }, 'chat:member-changed', { roomId: room.id, member })
      }
    },

    close () {
      typing.close()
    }
  }
}

export type ChatService = ReturnType<typeof createChatService>
