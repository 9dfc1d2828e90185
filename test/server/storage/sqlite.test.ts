import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { after, before, describe, it } from 'node:test'
import { migrate, openSqlite } from '../../../server/storage/sqlite/open-sqlite.ts'

const migrationFiles = readdirSync(join(import.meta.dirname, '..', '..', '..', 'server', 'storage', 'migrations', 'sqlite'))
  .filter((name) => name.endsWith('.sql')).sort()

const recorded = (db: DatabaseSync) =>
  db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all().map((row) => ({ ...row }))

// What only SQLite has; the interfaces are tested on every store by contract.test.ts.
describe('SQLite storage', () => {
  let dir: string
  before(() => { dir = mkdtempSync(join(tmpdir(), 'hubbub-sqlite-')) })
  after(() => rmSync(dir, { recursive: true, force: true }))

  describe('openSqlite', () => {
    it('creates the file and its missing folders', () => {
      const file = join(dir, 'nested', 'deeper', 'hubbub.db')
      openSqlite(file).close()
      assert.ok(existsSync(file), `expected ${file} to exist`)
    })

    it('applies every numbered migration once and records it', () => {
      const db = openSqlite(join(dir, 'once.db'))
      try {
        const expected = migrationFiles.map((name) => ({ version: Number.parseInt(name, 10), name }))
        assert.ok(expected.length >= 2, `expected migrations, found ${JSON.stringify(migrationFiles)}`)
        assert.deepEqual(recorded(db), expected)
      } finally {
        db.close()
      }
    })

    it('opens an existing database again without re-applying anything', () => {
      const file = join(dir, 'twice.db')
      const first = openSqlite(file)
      const before = recorded(first)
      first.prepare("INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES ('u1', 'Keep', 'keep', 'x', 0)").run()
      first.close()

      const second = openSqlite(file)
      try {
        assert.deepEqual(recorded(second), before)
        migrate(second)
        assert.deepEqual(recorded(second), before)
        assert.deepEqual({ ...second.prepare('SELECT username FROM users').get() }, { username: 'Keep' }, 'data survives reopening')
        const rooms = second.prepare('SELECT COUNT(*) AS n FROM rooms').get()!
        assert.equal(rooms.n, 3, 'seeded rooms are not inserted twice')
      } finally {
        second.close()
      }
    })

    it('uses WAL journaling, NORMAL synchronous and enforced foreign keys', () => {
      const db = openSqlite(join(dir, 'pragmas.db'))
      try {
        assert.equal(db.prepare('PRAGMA journal_mode').get()!.journal_mode, 'wal')
        assert.equal(db.prepare('PRAGMA synchronous').get()!.synchronous, 1, 'synchronous=NORMAL is 1')
        assert.equal(db.prepare('PRAGMA foreign_keys').get()!.foreign_keys, 1)
      } finally {
        db.close()
      }
    })

    it('seeds the public rooms general, random and markets', () => {
      const db = openSqlite(join(dir, 'seeded.db'))
      try {
        const rows = db.prepare('SELECT id, name, visibility FROM rooms ORDER BY name').all().map((row) => ({ ...row }))
        assert.deepEqual(rows, [
          { id: 'general', name: 'general', visibility: 'public' },
          { id: 'markets', name: 'markets', visibility: 'public' },
          { id: 'random', name: 'random', visibility: 'public' }
        ])
      } finally {
        db.close()
      }
    })
  })

  describe('users', () => {
    it('gives rooms made before migration 011 their roles: the creator owns, others are members, direct rooms have members only', () => {
      const db = new DatabaseSync(join(dir, 'roles.db'))
      try {
        db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)')
        for (const name of migrationFiles.filter((file) => Number.parseInt(file, 10) < 11)) {
          db.exec(readFileSync(join(import.meta.dirname, '..', '..', '..', 'server', 'storage', 'migrations', 'sqlite', name), 'utf8'))
          db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)').run(Number.parseInt(name, 10), name)
        }
        db.exec(`INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES ('u1', 'ann', 'ann', 'h', 0), ('u2', 'ben', 'ben', 'h', 0);
          INSERT INTO rooms (id, name, name_key, visibility, created_by, created_at) VALUES ('club', 'club', 'club', 'private', 'u1', 0);
          INSERT INTO rooms (id, name, visibility, direct_key, created_by, created_at) VALUES ('dm', 'ann,ben', 'direct', 'u1:u2', 'u1', 0);
          INSERT INTO room_members (room_id, user_id, joined_at) VALUES ('club', 'u1', 0), ('club', 'u2', 0), ('dm', 'u1', 0), ('dm', 'u2', 0), ('general', 'u2', 0)`)
        migrate(db)
        const roles = db.prepare('SELECT room_id, user_id, role FROM room_members ORDER BY room_id, user_id').all().map((row) => `${row.room_id}/${row.user_id}:${row.role}`)
        assert.deepEqual(roles, ['club/u1:owner', 'club/u2:member', 'dm/u1:member', 'dm/u2:member', 'general/u2:member'])
      } finally {
        db.close()
      }
    })

    it('enforces the uniqueness in the schema too, not only in code', () => {
      const db = openSqlite(join(dir, 'unique.db'))
      try {
        const insert = db.prepare('INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (?, ?, ?, ?, 0)')
        insert.run('a', 'Bob', 'bob', 'h')
        assert.throws(() => insert.run('b', 'BOB', 'bob', 'h'), /UNIQUE/)
      } finally {
        db.close()
      }
    })
  })
})
