import { newId } from '../ids.ts'
import { PROFILE_COLUMNS, StoreErrors, toProfile, toUser, toUserRecord } from '../rows.ts'
import { profileColumns } from '../profile-columns.ts'
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
    },
    async profiles (ids) {
      if (ids.length === 0) return []
      return (await sql`SELECT ${sql.unsafe(PROFILE_COLUMNS)} FROM users WHERE id = ANY(${sql.array([...ids])}::text[])`).map(toProfile)
    },
    async updateProfile (id, change) {
      const values = profileColumns(change)
      const [row] = Object.keys(values).length > 0
        ? await sql`UPDATE users SET ${sql(values)} WHERE id = ${id} RETURNING ${sql.unsafe(PROFILE_COLUMNS)}`
        : await sql`SELECT ${sql.unsafe(PROFILE_COLUMNS)} FROM users WHERE id = ${id}`
      return row ? toProfile(row) : null
    },
    async findPeople ({ query, after = '', limit }) {
      // strpos, not LIKE: the query's % and _ are letters like any other.
      return (await sql`SELECT ${sql.unsafe(PROFILE_COLUMNS)} FROM users
        WHERE username_key COLLATE "C" > ${after} AND (${query} = '' OR strpos(username_key, ${query}) > 0 OR strpos(display_name_key, ${query}) > 0)
        ORDER BY username_key COLLATE "C" LIMIT ${limit}`).map(toProfile)
    },
    async roomIds (userId) {
      return (await sql`SELECT room_id FROM room_members WHERE user_id = ${userId}`).map((row) => row.room_id as string)
    }
  }
}
