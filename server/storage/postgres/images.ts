import { newId } from '../ids.ts'
import { StoreErrors, toAvatar, toImageRecord } from '../rows.ts'
import type { ImageStore } from '../types.ts'
import type { Sql } from './open-postgres.ts'

export function createPostgresImageStore (sql: Sql): ImageStore {
  return {
    async create ({ roomId, uploaderId, mime, width, height, bytes, now, maxPending, pendingAfter }) {
      return sql.begin(async (tx) => {
        // The user's row locked (NO KEY: inserts that reference it still pass) makes count-then-insert
        // one step across nodes, as SQLite's single writer does.
        await tx`SELECT 1 FROM users WHERE id = ${uploaderId} FOR NO KEY UPDATE`
        const [{ n }] = await tx`SELECT COUNT(*) AS n FROM images
          WHERE uploader_id = ${uploaderId} AND message_id IS NULL AND created_at > ${pendingAfter}` as [{ n: number }]
        if (n >= maxPending) throw StoreErrors.tooManyImages(maxPending)
        const id = newId()
        await tx`INSERT INTO images (id, room_id, uploader_id, mime, width, height, size, bytes, created_at)
          VALUES (${id}, ${roomId}, ${uploaderId}, ${mime}, ${width}, ${height}, ${bytes.byteLength}, ${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)}, ${now})`
        return { id, roomId, uploaderId, mime, width, height, size: bytes.byteLength, createdAt: now, messageId: null }
      })
    },
    async find (imageId, userId) {
      const [row] = await sql`SELECT i.id, i.room_id, i.uploader_id, i.mime, i.width, i.height, i.size, i.created_at, i.message_id, rm.user_id AS member
        FROM images i LEFT JOIN room_members rm ON rm.room_id = i.room_id AND rm.user_id = ${userId} WHERE i.id = ${imageId}`
      return row ? { ...toImageRecord(row), member: row.member !== null } : null
    },
    async bytes (imageId) {
      const [row] = await sql`SELECT bytes FROM images WHERE id = ${imageId}`
      return (row?.bytes as Uint8Array | undefined) ?? null
    },
    async deleteUnsent (uploadedBy) {
      return (await sql`DELETE FROM images WHERE message_id IS NULL AND created_at <= ${uploadedBy}`).count
    },
    async setAvatar ({ userId, mime, width, height, bytes, now }) {
      const id = newId()
      // A new id on the user's one row: the old id finds nothing from this statement on.
      await sql`INSERT INTO avatars (id, user_id, mime, width, height, size, bytes, created_at)
        VALUES (${id}, ${userId}, ${mime}, ${width}, ${height}, ${bytes.byteLength}, ${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)}, ${now})
        ON CONFLICT (user_id) DO UPDATE SET id = excluded.id, mime = excluded.mime, width = excluded.width, height = excluded.height,
          size = excluded.size, bytes = excluded.bytes, created_at = excluded.created_at`
      return { id, userId, mime, width, height, size: bytes.byteLength, createdAt: now }
    },
    async removeAvatar (userId) {
      return (await sql`DELETE FROM avatars WHERE user_id = ${userId}`).count > 0
    },
    async findAvatar (avatarId) {
      const [row] = await sql`SELECT id, user_id, mime, width, height, size, created_at FROM avatars WHERE id = ${avatarId}`
      return row ? toAvatar(row) : null
    },
    async avatarBytes (avatarId) {
      const [row] = await sql`SELECT bytes FROM avatars WHERE id = ${avatarId}`
      return (row?.bytes as Uint8Array | undefined) ?? null
    }
  }
}
