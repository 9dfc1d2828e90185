import type { FastifyBaseLogger } from 'fastify'
import type { User } from '../../shared/auth.ts'
import { isQuiet, localClock, type NotificationKind, type notificationCommands, type notificationPushes } from '../../shared/notifications.ts'
import type { CommandPayload } from '../../shared/protocol.ts'
import { AppError } from '../errors.ts'
import type { Publisher } from '../realtime/publisher.ts'
import type { Storage } from '../storage/types.ts'

type Commands = typeof notificationCommands

export interface NotifyInput {
  kind: NotificationKind
  title: string
  body?: string | undefined
  url?: string | null | undefined
  /** The chat room it comes from, its name (null for a direct room) and who caused it: bursts group by them. */
  roomId?: string | null | undefined
  roomName?: string | null | undefined
  actor?: string | null | undefined
}

/** The per-user inbox: stored first, then pushed to every socket of the recipient, on every node. */
export function createNotificationService ({ storage, publish, log, now = Date.now }: { storage: Storage, publish: Publisher<typeof notificationPushes>, log: Pick<FastifyBaseLogger, 'warn'>, now?: () => number }) {
  const store = storage.notifications

  const pushUnread = async (userId: string, exceptSocketId?: string) => {
    const count = await store.unread(userId)
    publish.emit({ user: userId, exceptSocket: exceptSocketId }, 'notification:unread', { count })
    return count
  }

  /**
   * How many of these users have a socket connected, on every node. Only the publish API asks
   * (its answer says it); a node that does not answer within a second is not counted, so the
   * answer is then a lower bound, and it never fails what was already stored.
   */
  const connected = async (userIds: string[]) => {
    const { count, complete } = await publish.connectedUsers(userIds, 1000)
    if (!complete) log.warn('counting connected recipients timed out on another node; counted this node\'s')
    return count
  }

  /** Stored for every user; pushed `quiet` to those in do not disturb (their inbox has it, nothing pops up). */
  const notify = async (userIds: string[], { kind, title, body = '', url = null, roomId = null, roomName = null, actor = null }: NotifyInput) => {
    const unique = [...new Set(userIds)]
    const [stored, settings] = await Promise.all([
      store.insert(unique, { kind, title, body, url, roomId, roomName, actor }, now()),
      store.settings(unique)
    ])
    const at = now()
    for (const [userId, notification] of stored) {
      const userSettings = settings.get(userId)
      publish.emit({ user: userId }, 'notification:new', userSettings && isQuiet(userSettings, at) ? { notification, quiet: true } : { notification })
    }
    await Promise.all(unique.map((userId) => pushUnread(userId)))
    return { stored: stored.size, recipients: unique }
  }

  /** Stores and pushes, then counts who was connected to see it: what the publish API answers. */
  const notifyAndCount = async (userIds: string[], input: NotifyInput) => {
    const { stored, recipients } = await notify(userIds, input)
    return { stored, delivered: await connected(recipients) }
  }

  return {
    notify,

    /** Notifies users by name; names with no account are returned, not dropped silently. */
    async notifyUsernames (usernames: string[], input: NotifyInput) {
      const users = await storage.users.findManyByUsername(usernames)
      const known = new Set(users.map((user) => user.username.toLowerCase()))
      const unknown = [...new Set(usernames.filter((name) => !known.has(name.toLowerCase())))]
      return { ...await notifyAndCount(users.map((user) => user.id), input), unknown }
    },

    async notifyAll (input: NotifyInput) {
      return { ...await notifyAndCount(await storage.notifications.allUserIds(), input), unknown: [] }
    },

    async list (user: User, { before, limit = 30, filter }: CommandPayload<Commands, 'notification:list'>) {
      const [page, unread] = await Promise.all([store.list(user.id, before, limit, filter), store.unread(user.id)])
      return { ...page, unread }
    },

    /** Another user's id (or a done one) is `not_found` and changes nothing. */
    async markUnread (user: User, { id }: CommandPayload<Commands, 'notification:mark-unread'>, socketId?: string) {
      const unread = await store.markUnread(user.id, id)
      if (unread === null) throw new AppError('not_found', 'No such notification in your inbox.')
      publish.emit({ user: user.id, exceptSocket: socketId }, 'notification:changed', { ids: [id], change: 'unread' })
      publish.emit({ user: user.id, exceptSocket: socketId }, 'notification:unread', { count: unread })
      return unread
    },

    /** Done (archived, and read) or back; ids that are not the user's, or already so, change nothing. */
    async done (user: User, { ids, done }: CommandPayload<Commands, 'notification:done'>, socketId?: string) {
      const { changed, unread } = await store.setDone(user.id, ids, done, now())
      if (changed.length > 0) {
        publish.emit({ user: user.id, exceptSocket: socketId }, 'notification:changed', { ids: changed, change: done ? 'done' : 'undone' })
        publish.emit({ user: user.id, exceptSocket: socketId }, 'notification:unread', { count: unread })
      }
      return unread
    },

    preferences: (user: User) => store.preferences(user.id),

    /** Only a member of the room sets what it notifies; every other tab of the user hears of it. */
    async setRoom (user: User, { roomId, level, mutedUntil }: CommandPayload<Commands, 'notification:set-room'>, socketId?: string) {
      const room = await storage.chat.getRoomAccess(roomId, user.id)
      if (!room) throw new AppError('not_found', 'No such room.')
      if (!room.member) throw new AppError('forbidden', 'Only members of a room set its notifications.')
      const preference = await store.setRoom(user.id, roomId, { level, mutedUntil })
      publish.emit({ user: user.id, exceptSocket: socketId }, 'notification:preferences', await store.preferences(user.id))
      return preference
    },

    async setSettings (user: User, change: CommandPayload<Commands, 'notification:set-settings'>, socketId?: string) {
      if (change.schedule && localClock(change.schedule.timeZone, 0) === null) {
        throw new AppError('invalid_payload', 'schedule.timeZone: not a time zone this server knows')
      }
      const settings = await store.setSettings(user.id, Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)))
      publish.emit({ user: user.id, exceptSocket: socketId }, 'notification:preferences', await store.preferences(user.id))
      return settings
    },

    async markRead (user: User, which: CommandPayload<Commands, 'notification:mark-read'>, socketId?: string) {
      await store.markRead(user.id, 'all' in which ? { all: true } : which, now())
      return pushUnread(user.id, socketId)
    },

    unread: (user: User) => store.unread(user.id)
  }
}

export type NotificationService = ReturnType<typeof createNotificationService>
