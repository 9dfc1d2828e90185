import type { DatabaseSync } from 'node:sqlite'
import type { Notification } from '../../../shared/notifications.ts'
import { newId } from '../ids.ts'
import { toNotification } from '../rows.ts'
import type { NotificationStore } from '../types.ts'
import { transaction } from './open-sqlite.ts'

export function createSqliteNotificationStore (db: DatabaseSync): NotificationStore {
  const q = {
    insert: db.prepare('INSERT INTO notifications (id, user_id, kind, title, body, url, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    newest: db.prepare('SELECT * FROM notifications WHERE user_id = ? ORDER BY seq DESC LIMIT ?'),
    before: db.prepare(`SELECT * FROM notifications WHERE user_id = ?
      AND seq < (SELECT seq FROM notifications WHERE id = ? AND user_id = ?) ORDER BY seq DESC LIMIT ?`),
    readAll: db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL'),
    readOne: db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND id = ? AND read_at IS NULL'),
    unread: db.prepare('SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL'),
    users: db.prepare('SELECT id FROM users')
  }
  const unread = (userId: string) => q.unread.get(userId)!.n as number

  return {
    async insert (userIds, { kind, title, body, url }, now) {
      const stored = new Map<string, Notification>()
      transaction(db, () => {
        for (const userId of userIds) {
          const id = newId()
          q.insert.run(id, userId, kind, title, body, url, now)
          stored.set(userId, { id, kind, title, body, url, createdAt: now, readAt: null })
        }
      })
      return stored
    },
    async list (userId, before, limit) {
      const rows = before === undefined ? q.newest.all(userId, limit + 1) : q.before.all(userId, before, userId, limit + 1)
      return { notifications: rows.slice(0, limit).map(toNotification), hasMore: rows.length > limit }
    },
    async markRead (userId, which, now) {
      if ('all' in which) q.readAll.run(now, userId)
      else transaction(db, () => { for (const id of which.ids) q.readOne.run(now, userId, id) })
      return unread(userId)
    },
    async unread (userId) {
      return unread(userId)
    },
    async allUserIds () {
      return q.users.all().map((row) => row.id as string)
    }
  }
}
