import { newId } from '../ids.ts'
import { toSession, toUser } from '../rows.ts'
import type { SessionStore } from '../types.ts'
import type { Sql } from './open-postgres.ts'

export function createPostgresSessionStore (sql: Sql): SessionStore {
  return {
    async create ({ tokenHash, userId, now, expiresAt }) {
      const id = newId()
      const [user] = await sql`WITH s AS (INSERT INTO sessions (id, token_hash, user_id, created_at, expires_at)
        VALUES (${id}, ${tokenHash}, ${userId}, ${now}, ${expiresAt}) RETURNING user_id)
        SELECT u.id, u.username FROM s JOIN users u ON u.id = s.user_id`
      return { id, user: toUser(user!), expiresAt }
    },
    async find (tokenHash, now) {
      const [row] = await sql`SELECT s.id, s.expires_at, u.id AS user_id, u.username FROM sessions s
        JOIN users u ON u.id = s.user_id WHERE s.token_hash = ${tokenHash} AND s.expires_at > ${now}`
      return row ? toSession(row) : null
    },
    async revoke (tokenHash) {
      const [row] = await sql`DELETE FROM sessions WHERE token_hash = ${tokenHash} RETURNING id`
      return row ? row.id as string : null
    },
    async deleteExpired (now) {
      return (await sql`DELETE FROM sessions WHERE expires_at <= ${now}`).count
    }
  }
}
