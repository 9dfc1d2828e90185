import type { DatabaseSync } from 'node:sqlite'
import { newId } from '../ids.ts'
import { StoreErrors, toUser, toUserRecord } from '../rows.ts'
import type { UserStore } from '../types.ts'

export function createSqliteUserStore (db: DatabaseSync): UserStore {
  const insert = db.prepare('INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (username_key) DO NOTHING')
  const byKey = db.prepare('SELECT * FROM users WHERE username_key = ?')
  const byId = db.prepare('SELECT id, username FROM users WHERE id = ?')

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
    }
  }
}
