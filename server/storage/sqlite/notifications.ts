import type { DatabaseSync } from 'node:sqlite'
import type { InboxFilter, Notification } from '../../../shared/notifications.ts'
import { newId } from '../ids.ts'
import { changedRoomPreference, toNotification, toNotificationSettings, toRoomPreference } from '../rows.ts'
import type { NotificationStore } from '../types.ts'
import { transaction } from './open-sqlite.ts'

/** The SQL of each inbox filter (the same rule as matchesFilter in shared/). */
const FILTERS: Record<InboxFilter | 'none', string> = {
  none: '',
  unread: 'AND read_at IS NULL',
  mentions: "AND kind = 'mention'",
  dms: "AND kind = 'dm'",
  alerts: "AND kind = 'price-alert'",
  services: "AND kind = 'system'"
}

export function createSqliteNotificationStore (db: DatabaseSync): NotificationStore {
  const pages = Object.fromEntries(Object.entries(FILTERS).map(([name, where]) => [name, {
    newest: db.prepare(`SELECT * FROM notifications WHERE user_id = ? AND done_at IS NULL ${where} ORDER BY seq DESC LIMIT ?`),
    before: db.prepare(`SELECT * FROM notifications WHERE user_id = ? AND done_at IS NULL ${where}
      AND seq < (SELECT seq FROM notifications WHERE id = ? AND user_id = ?) ORDER BY seq DESC LIMIT ?`)
  }]))
  const q = {
    insert: db.prepare('INSERT INTO notifications (id, user_id, kind, title, body, url, created_at, room_id, room_name, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    readAll: db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL'),
    readOne: db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND id = ? AND read_at IS NULL'),
    unreadOne: db.prepare('UPDATE notifications SET read_at = NULL WHERE user_id = ? AND id = ? AND done_at IS NULL'),
    doneOne: db.prepare('UPDATE notifications SET done_at = ?, read_at = COALESCE(read_at, ?) WHERE user_id = ? AND id = ? AND done_at IS NULL'),
    undoneOne: db.prepare('UPDATE notifications SET done_at = NULL WHERE user_id = ? AND id = ? AND done_at IS NOT NULL'),
    unread: db.prepare('SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL'),
    users: db.prepare('SELECT id FROM users'),
    rooms: db.prepare('SELECT * FROM notification_room_prefs WHERE user_id = ? ORDER BY room_id'),
    room: db.prepare('SELECT * FROM notification_room_prefs WHERE user_id = ? AND room_id = ?'),
    roomUpsert: db.prepare(`INSERT INTO notification_room_prefs (user_id, room_id, level, muted_until) VALUES (?, ?, ?, ?)
      ON CONFLICT (user_id, room_id) DO UPDATE SET level = excluded.level, muted_until = excluded.muted_until`),
    roomDelete: db.prepare('DELETE FROM notification_room_prefs WHERE user_id = ? AND room_id = ?'),
    byRoom: db.prepare('SELECT * FROM notification_room_prefs WHERE room_id = ?'),
    settings: db.prepare('SELECT * FROM notification_settings WHERE user_id = ?'),
    settingsUpsert: db.prepare(`INSERT INTO notification_settings (user_id, dnd_until, schedule, desktop_kinds) VALUES (?, ?, ?, ?)
      ON CONFLICT (user_id) DO UPDATE SET dnd_until = excluded.dnd_until, schedule = excluded.schedule, desktop_kinds = excluded.desktop_kinds`)
  }
  const unread = (userId: string) => q.unread.get(userId)!.n as number
  const settingsOf = (userId: string) => toNotificationSettings(q.settings.get(userId))

  return {
    async insert (userIds, { kind, title, body, url, roomId = null, roomName = null, actor = null }, now) {
      const stored = new Map<string, Notification>()
      transaction(db, () => {
        for (const userId of userIds) {
          const id = newId()
          q.insert.run(id, userId, kind, title, body, url, now, roomId, roomName, actor)
          stored.set(userId, { id, kind, title, body, url, createdAt: now, readAt: null, roomId, roomName, actor })
        }
      })
      return stored
    },
    async list (userId, before, limit, filter) {
      const page = pages[filter ?? 'none']!
      const rows = before === undefined ? page.newest.all(userId, limit + 1) : page.before.all(userId, before, userId, limit + 1)
      return { notifications: rows.slice(0, limit).map(toNotification), hasMore: rows.length > limit }
    },
    async markRead (userId, which, now) {
      if ('all' in which) q.readAll.run(now, userId)
      else transaction(db, () => { for (const id of which.ids) q.readOne.run(now, userId, id) })
      return unread(userId)
    },
    async markUnread (userId, id) {
      return q.unreadOne.run(userId, id).changes === 0 ? null : unread(userId)
    },
    async setDone (userId, ids, done, now) {
      const changed: string[] = []
      transaction(db, () => {
        for (const id of new Set(ids)) {
          const result = done ? q.doneOne.run(now, now, userId, id) : q.undoneOne.run(userId, id)
          if (result.changes > 0) changed.push(id)
        }
      })
      return { changed, unread: unread(userId) }
    },
    async unread (userId) {
      return unread(userId)
    },
    async allUserIds () {
      return q.users.all().map((row) => row.id as string)
    },
    async preferences (userId) {
      return { rooms: q.rooms.all(userId).map(toRoomPreference), settings: settingsOf(userId) }
    },
    async setRoom (userId, roomId, change) {
      return transaction(db, () => {
        const next = changedRoomPreference(q.room.get(userId, roomId), roomId, change)
        if (next.level === null && next.mutedUntil === null) q.roomDelete.run(userId, roomId)
        else q.roomUpsert.run(userId, roomId, next.level, next.mutedUntil)
        return next
      })
    },
    async roomPreferences (roomId) {
      return new Map(q.byRoom.all(roomId).map((row) => [row.user_id as string, toRoomPreference(row)]))
    },
    async settings (userIds) {
      return new Map(userIds.map((userId) => [userId, settingsOf(userId)]))
    },
    async setSettings (userId, change) {
      return transaction(db, () => {
        const next = { ...settingsOf(userId), ...change }
        q.settingsUpsert.run(userId, next.dndUntil, next.schedule === null ? null : JSON.stringify(next.schedule), JSON.stringify(next.desktopKinds))
        return next
      })
    }
  }
}
