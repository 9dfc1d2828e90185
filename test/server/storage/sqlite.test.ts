import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
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
