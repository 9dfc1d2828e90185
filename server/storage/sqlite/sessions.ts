import type { DatabaseSync } from 'node:sqlite'
import { newId } from '../ids.ts'
import { toSession, toUser } from '../rows.ts'
import type { SessionStore } from '../types.ts'

export function createSqliteSessionStore (db: DatabaseSync): SessionStore {
  const insert = db.prepare('INSERT INTO sessions (id, token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
  const find = db.prepare(`SELECT s.id, s.expires_at, u.id AS user_id, u.username FROM sessions s
    JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`)
  const remove = db.prepare('DELETE FROM sessions WHERE token_hash = ? RETURNING id')
  const removeExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ?')
  const userById = db.prepare('SELECT id, username FROM users WHERE id = ?')

  return {
    async create ({ tokenHash, userId, now, expiresAt }) {
      const id = newId()
      insert.run(id, tokenHash, userId, now, expiresAt)
      return { id, user: toUser(userById.get(userId)!), expiresAt }
    },
    async find (tokenHash, now) {
      const row = find.get(tokenHash, now)
      return row ? toSession(row) : null
    },
    async revoke (tokenHash) {
      const row = remove.get(tokenHash)
      return row ? row.id as string : null
    },
    async deleteExpired (now) {
      return Number(removeExpired.run(now).changes)
    }
  }
}
