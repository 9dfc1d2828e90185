import type { DatabaseSync } from 'node:sqlite'
import { newId } from '../ids.ts'
import { StoreErrors, toAvatar, toImageRecord } from '../rows.ts'
import type { ImageStore } from '../types.ts'
import { transaction } from './open-sqlite.ts'

const COLUMNS = 'i.id, i.room_id, i.uploader_id, i.mime, i.width, i.height, i.size, i.created_at, i.message_id'

export function createSqliteImageStore (db: DatabaseSync): ImageStore {
  const q = {
    countPending: db.prepare('SELECT COUNT(*) AS n FROM images WHERE uploader_id = ? AND message_id IS NULL AND created_at > ?'),
    insert: db.prepare('INSERT INTO images (id, room_id, uploader_id, mime, width, height, size, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    find: db.prepare(`SELECT ${COLUMNS}, rm.user_id AS member FROM images i
      LEFT JOIN room_members rm ON rm.room_id = i.room_id AND rm.user_id = ? WHERE i.id = ?`),
    bytes: db.prepare('SELECT bytes FROM images WHERE id = ?'),
    deleteUnsent: db.prepare('DELETE FROM images WHERE message_id IS NULL AND created_at <= ?'),
    // A new id on the user's one row: the old id finds nothing from this statement on.
    setAvatar: db.prepare(`INSERT INTO avatars (id, user_id, mime, width, height, size, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (user_id) DO UPDATE SET id = excluded.id, mime = excluded.mime, width = excluded.width, height = excluded.height,
        size = excluded.size, bytes = excluded.bytes, created_at = excluded.created_at`),
    removeAvatar: db.prepare('DELETE FROM avatars WHERE user_id = ?'),
    findAvatar: db.prepare('SELECT id, user_id, mime, width, height, size, created_at FROM avatars WHERE id = ?'),
    avatarBytes: db.prepare('SELECT bytes FROM avatars WHERE id = ?')
  }
  return {
    async create ({ roomId, uploaderId, mime, width, height, bytes, now, maxPending, pendingAfter }) {
      return transaction(db, () => {
        const { n } = q.countPending.get(uploaderId, pendingAfter) as { n: number }
        if (n >= maxPending) throw StoreErrors.tooManyImages(maxPending)
        const id = newId()
        q.insert.run(id, roomId, uploaderId, mime, width, height, bytes.byteLength, bytes, now)
        return { id, roomId, uploaderId, mime, width, height, size: bytes.byteLength, createdAt: now, messageId: null }
      })
    },
    async find (imageId, userId) {
      const row = q.find.get(userId, imageId)
      return row ? { ...toImageRecord(row), member: row.member !== null } : null
    },
    async bytes (imageId) {
      return (q.bytes.get(imageId)?.bytes as Uint8Array | undefined) ?? null
    },
    async deleteUnsent (uploadedBy) {
      return Number(q.deleteUnsent.run(uploadedBy).changes)
    },
    async setAvatar ({ userId, mime, width, height, bytes, now }) {
      const id = newId()
      q.setAvatar.run(id, userId, mime, width, height, bytes.byteLength, bytes, now)
      return { id, userId, mime, width, height, size: bytes.byteLength, createdAt: now }
    },
    async removeAvatar (userId) {
      return Number(q.removeAvatar.run(userId).changes) > 0
    },
    async findAvatar (avatarId) {
      const row = q.findAvatar.get(avatarId)
      return row ? toAvatar(row) : null
    },
    async avatarBytes (avatarId) {
      return (q.avatarBytes.get(avatarId)?.bytes as Uint8Array | undefined) ?? null
    }
  }
}
