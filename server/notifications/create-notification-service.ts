import type { FastifyBaseLogger } from 'fastify'
import type { User } from '../../shared/auth.ts'
import type { NotificationKind, notificationCommands, notificationPushes } from '../../shared/notifications.ts'
import type { CommandPayload } from '../../shared/protocol.ts'
import type { Publisher } from '../realtime/publisher.ts'
import type { Storage } from '../storage/types.ts'

type Commands = typeof notificationCommands

export interface NotifyInput {
  kind: NotificationKind
  title: string
  body?: string | undefined
  url?: string | null | undefined
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

  const notify = async (userIds: string[], { kind, title, body = '', url = null }: NotifyInput) => {
    const unique = [...new Set(userIds)]
    const stored = await store.insert(unique, { kind, title, body, url }, now())
    for (const [userId, notification] of stored) {
      publish.emit({ user: userId }, 'notification:new', { notification })
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

    async list (user: User, { before, limit = 30 }: CommandPayload<Commands, 'notification:list'>) {
      const [page, unread] = await Promise.all([store.list(user.id, before, limit), store.unread(user.id)])
      return { ...page, unread }
    },

    async markRead (user: User, which: CommandPayload<Commands, 'notification:mark-read'>, socketId?: string) {
      await store.markRead(user.id, 'all' in which ? { all: true } : which, now())
      return pushUnread(user.id, socketId)
    },

    unread: (user: User) => store.unread(user.id)
  }
}

export type NotificationService = ReturnType<typeof createNotificationService>
