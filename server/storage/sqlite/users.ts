import type { DatabaseSync } from 'node:sqlite'
import { newId } from '../ids.ts'
import { PROFILE_COLUMNS, StoreErrors, toProfile, toUser, toUserRecord } from '../rows.ts'
import type { UserStore } from '../types.ts'
import { profileColumns } from '../profile-columns.ts'

export function createSqliteUserStore (db: DatabaseSync): UserStore {
  const insert = db.prepare('INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (username_key) DO NOTHING')
  const byKey = db.prepare('SELECT * FROM users WHERE username_key = ?')
  const byId = db.prepare('SELECT id, username FROM users WHERE id = ?')
  const profileById = db.prepare(`SELECT ${PROFILE_COLUMNS} FROM users WHERE id = ?`)
  const people = db.prepare(`SELECT ${PROFILE_COLUMNS} FROM users
    WHERE username_key > ? AND (? = '' OR instr(username_key, ?) > 0 OR instr(display_name_key, ?) > 0)
    ORDER BY username_key LIMIT ?`)
  const roomIds = db.prepare('SELECT room_id FROM room_members WHERE user_id = ?')

  return {
    async create ({ username, passwordHash, now }) {
      const id = newId()
      const { changes } = insert.run(id, username, username.toLowerCase(), passwordHash, now)
      if (changes === 0) throw StoreErrors.usernameTaken()
      return { id, username, passwordHash, createdAt: now }
    },
    async findByUsername (username) {
      const row = byKey.get(username.toLowerCase())
      return row ? toUserRecord(row) : null
    },
    async findById (id) {
      const row = byId.get(id)
      return row ? toUser(row) : null
    },
    async findManyByUsername (usernames) {
      if (usernames.length === 0) return []
      const keys = usernames.map((name) => name.toLowerCase())
      const rows = db.prepare(`SELECT id, username FROM users WHERE username_key IN (${keys.map(() => '?').join(',')})`).all(...keys)
      return rows.map(toUser)
    },
    async profiles (ids) {
      if (ids.length === 0) return []
      return db.prepare(`SELECT ${PROFILE_COLUMNS} FROM users WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids).map(toProfile)
    },
    async updateProfile (id, change) {
      const values = profileColumns(change)
      const names = Object.keys(values)
      if (names.length > 0) {
        db.prepare(`UPDATE users SET ${names.map((name) => `${name} = ?`).join(', ')} WHERE id = ?`).run(...Object.values(values), id)
      }
      const row = profileById.get(id)
      return row ? toProfile(row) : null
    },
    async findPeople ({ query, after = '', limit }) {
      return people.all(after, query, query, query, limit).map(toProfile)
    },
    async roomIds (userId) {
      return roomIds.all(userId).map((row) => row.room_id as string)
    }
  }
}
