import type { InboxFilter, Notification } from '../../../shared/notifications.ts'
import { newId } from '../ids.ts'
import { changedRoomPreference, toNotification, toNotificationSettings, toRoomPreference } from '../rows.ts'
import type { NotificationStore } from '../types.ts'
import type { Sql } from './open-postgres.ts'

export function createPostgresNotificationStore (sql: Sql): NotificationStore {
  const unread = async (userId: string, tx: Sql = sql) =>
    (await tx`SELECT COUNT(*) AS n FROM notifications WHERE user_id = ${userId} AND read_at IS NULL`)[0]!.n as number
  /** The SQL of each inbox filter (the same rule as matchesFilter in shared/). */
  const where = (filter: InboxFilter | undefined) => {
    switch (filter) {
      case undefined: return sql``
      case 'unread': return sql`AND read_at IS NULL`
      case 'mentions': return sql`AND kind = 'mention'`
      case 'dms': return sql`AND kind = 'dm'`
      case 'alerts': return sql`AND kind = 'price-alert'`
      case 'services': return sql`AND kind = 'system'`
    }
  }
  const settingsOf = async (userIds: readonly string[], tx: Sql = sql) => {
    const rows = userIds.length === 0 ? [] : await tx`SELECT * FROM notification_settings WHERE user_id = ANY(${sql.array([...userIds])}::text[])`
    const byUser = new Map(rows.map((row) => [row.user_id as string, row]))
    return new Map(userIds.map((userId) => [userId, toNotificationSettings(byUser.get(userId))]))
  }

  return {
    async insert (userIds, { kind, title, body, url, roomId = null, roomName = null, actor = null }, now) {
      const stored = new Map<string, Notification>()
      if (userIds.length === 0) return stored
      const ids = userIds.map(() => newId())
      // One statement is one transaction; rows get their seq in the order of the arrays.
      await sql`INSERT INTO notifications (id, user_id, kind, title, body, url, created_at, room_id, room_name, actor)
        SELECT id, user_id, ${kind}, ${title}, ${body}, ${url}, ${now}, ${roomId}, ${roomName}, ${actor}
        FROM unnest(${sql.array(ids)}::text[], ${sql.array(userIds)}::text[]) WITH ORDINALITY AS v(id, user_id, n) ORDER BY n`
      userIds.forEach((userId, i) => stored.set(userId, { id: ids[i]!, kind, title, body, url, createdAt: now, readAt: null, roomId, roomName, actor }))
      return stored
    },
    async list (userId, before, limit, filter) {
      const rows = before === undefined
        ? await sql`SELECT * FROM notifications WHERE user_id = ${userId} AND done_at IS NULL ${where(filter)} ORDER BY seq DESC LIMIT ${limit + 1}`
        : await sql`SELECT * FROM notifications WHERE user_id = ${userId} AND done_at IS NULL ${where(filter)}
            AND seq < (SELECT seq FROM notifications WHERE id = ${before} AND user_id = ${userId}) ORDER BY seq DESC LIMIT ${limit + 1}`
      return { notifications: rows.slice(0, limit).map(toNotification), hasMore: rows.length > limit }
    },
    async markRead (userId, which, now) {
      if ('all' in which) await sql`UPDATE notifications SET read_at = ${now} WHERE user_id = ${userId} AND read_at IS NULL`
      else if (which.ids.length > 0) {
        await sql`UPDATE notifications SET read_at = ${now}
          WHERE user_id = ${userId} AND id = ANY(${sql.array(which.ids)}::text[]) AND read_at IS NULL`
      }
      return unread(userId)
    },
    async markUnread (userId, id) {
      const changed = await sql`UPDATE notifications SET read_at = NULL WHERE user_id = ${userId} AND id = ${id} AND done_at IS NULL`
      return changed.count === 0 ? null : unread(userId)
    },
    async setDone (userId, ids, done, now) {
      const unique = sql.array([...new Set(ids)])
      const rows = done
        ? await sql`UPDATE notifications SET done_at = ${now}, read_at = COALESCE(read_at, ${now})
            WHERE user_id = ${userId} AND id = ANY(${unique}::text[]) AND done_at IS NULL RETURNING id`
        : await sql`UPDATE notifications SET done_at = NULL
            WHERE user_id = ${userId} AND id = ANY(${unique}::text[]) AND done_at IS NOT NULL RETURNING id`
      const changed = new Set(rows.map((row) => row.id as string))
      return { changed: ids.filter((id, i) => changed.has(id) && ids.indexOf(id) === i), unread: await unread(userId) }
    },
    unread: (userId) => unread(userId),
    async allUserIds () {
      return (await sql`SELECT id FROM users`).map((row) => row.id as string)
    },
    async preferences (userId) {
      const [rows, settings] = await Promise.all([
        sql`SELECT * FROM notification_room_prefs WHERE user_id = ${userId} ORDER BY room_id COLLATE "C"`,
        settingsOf([userId])
      ])
      return { rooms: rows.map(toRoomPreference), settings: settings.get(userId)! }
    },
    async setRoom (userId, roomId, change) {
      return sql.begin(async (tx) => {
        const [row] = await tx`SELECT * FROM notification_room_prefs WHERE user_id = ${userId} AND room_id = ${roomId} FOR UPDATE`
        const next = changedRoomPreference(row, roomId, change)
        if (next.level === null && next.mutedUntil === null) await tx`DELETE FROM notification_room_prefs WHERE user_id = ${userId} AND room_id = ${roomId}`
        else {
          await tx`INSERT INTO notification_room_prefs (user_id, room_id, level, muted_until) VALUES (${userId}, ${roomId}, ${next.level}, ${next.mutedUntil})
            ON CONFLICT (user_id, room_id) DO UPDATE SET level = excluded.level, muted_until = excluded.muted_until`
        }
        return next
      })
    },
    async roomPreferences (roomId) {
      const rows = await sql`SELECT * FROM notification_room_prefs WHERE room_id = ${roomId}`
      return new Map(rows.map((row) => [row.user_id as string, toRoomPreference(row)]))
    },
    settings: (userIds) => settingsOf(userIds),
    async setSettings (userId, change) {
      return sql.begin(async (tx) => {
        await tx`INSERT INTO notification_settings (user_id) VALUES (${userId}) ON CONFLICT (user_id) DO NOTHING`
        const [row] = await tx`SELECT * FROM notification_settings WHERE user_id = ${userId} FOR UPDATE`
        // A row inserted just now holds NULLs: the defaults.
        const next = { ...toNotificationSettings(row), ...change }
        await tx`UPDATE notification_settings SET dnd_until = ${next.dndUntil},
          schedule = ${next.schedule === null ? null : JSON.stringify(next.schedule)}, desktop_kinds = ${JSON.stringify(next.desktopKinds)}
          WHERE user_id = ${userId}`
        return next
      })
    }
  }
}
