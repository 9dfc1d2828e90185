import { newId } from '../ids.ts'
import { StoreErrors, toUser, toUserRecord } from '../rows.ts'
import type { UserStore } from '../types.ts'
import type { Sql } from './open-postgres.ts'

export function createPostgresUserStore (sql: Sql): UserStore {
  return {
    async create ({ username, passwordHash, now }) {
      const id = newId()
      const { count } = await sql`INSERT INTO users (id, username, username_key, password_hash, created_at)
        VALUES (${id}, ${username}, ${username.toLowerCase()}, ${passwordHash}, ${now}) ON CONFLICT (username_key) DO NOTHING`
      if (count === 0) throw StoreErrors.usernameTaken()
      return { id, username, passwordHash, createdAt: now }
    },
    async findByUsername (username) {
      const [row] = await sql`SELECT * FROM users WHERE username_key = ${username.toLowerCase()}`
      return row ? toUserRecord(row) : null
    },
    async findById (id) {
      const [row] = await sql`SELECT id, username FROM users WHERE id = ${id}`
      return row ? toUser(row) : null
    },
    async findManyByUsername (usernames) {
      if (usernames.length === 0) return []
      const keys = usernames.map((name) => name.toLowerCase())
      return (await sql`SELECT id, username FROM users WHERE username_key = ANY(${sql.array(keys)}::text[])`).map(toUser)
    }
  }
}
