import type { Notification } from '../../../shared/notifications.ts'
import { newId } from '../ids.ts'
import { toNotification } from '../rows.ts'
import type { NotificationStore } from '../types.ts'
import type { Sql } from './open-postgres.ts'

export function createPostgresNotificationStore (sql: Sql): NotificationStore {
  const unread = async (userId: string) =>
    (await sql`SELECT COUNT(*) AS n FROM notifications WHERE user_id = ${userId} AND read_at IS NULL`)[0]!.n as number

  return {
    async insert (userIds, { kind, title, body, url }, now) {
      const stored = new Map<string, Notification>()
      if (userIds.length === 0) return stored
      const ids = userIds.map(() => newId())
      // One statement is one transaction; rows get their seq in the order of the arrays.
      await sql`INSERT INTO notifications (id, user_id, kind, title, body, url, created_at)
        SELECT id, user_id, ${kind}, ${title}, ${body}, ${url}, ${now}
        FROM unnest(${sql.array(ids)}::text[], ${sql.array(userIds)}::text[]) WITH ORDINALITY AS v(id, user_id, n) ORDER BY n`
      userIds.forEach((userId, i) => stored.set(userId, { id: ids[i]!, kind, title, body, url, createdAt: now, readAt: null }))
      return stored
    },
    async list (userId, before, limit) {
      const rows = before === undefined
        ? await sql`SELECT * FROM notifications WHERE user_id = ${userId} ORDER BY seq DESC LIMIT ${limit + 1}`
        : await sql`SELECT * FROM notifications WHERE user_id = ${userId}
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
    unread,
    async allUserIds () {
      return (await sql`SELECT id FROM users`).map((row) => row.id as string)
    }
  }
}
