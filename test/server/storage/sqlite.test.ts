import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { after, before, describe, it } from 'node:test'
import { isAppError } from '../../../server/errors.ts'
import { migrate, openSqlite } from '../../../server/storage/sqlite/open-sqlite.ts'
import { createSqliteStorage } from '../../../server/storage/sqlite/sqlite-storage.ts'

const migrationFiles = readdirSync(join(import.meta.dirname, '..', '..', '..', 'server', 'storage', 'migrations', 'sqlite'))
  .filter((name) => name.endsWith('.sql')).sort()

const recorded = (db: DatabaseSync) =>
  db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all().map((row) => ({ ...row }))

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
    it('refuses a username that differs only in case, with a conflict', async () => {
      const storage = createSqliteStorage(join(dir, 'users.db'))
      try {
        const alice = await storage.users.create({ username: 'Alice', passwordHash: 'h', now: 1 })
        await assert.rejects(storage.users.create({ username: 'alice', passwordHash: 'h', now: 2 }),
          (error) => isAppError(error) && error.code === 'conflict')
        await assert.rejects(storage.users.create({ username: 'ALICE', passwordHash: 'h', now: 2 }),
          (error) => isAppError(error) && error.code === 'conflict')
        assert.deepEqual(await storage.users.findByUsername('aLiCe'), alice, 'lookup is case-insensitive and keeps the chosen case')
        assert.deepEqual(await storage.users.findManyByUsername(['ALICE', 'nobody']), [{ id: alice.id, username: 'Alice' }])
      } finally {
        await storage.close()
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

  describe('sessions', () => {
    it('finds a session until it expires or is revoked, and cascades with its user', async () => {
      const storage = createSqliteStorage(join(dir, 'sessions.db'))
      try {
        const user = await storage.users.create({ username: 'carol', passwordHash: 'h', now: 0 })
        const session = await storage.sessions.create({ tokenHash: 't1', userId: user.id, now: 0, expiresAt: 100 })
        assert.deepEqual(await storage.sessions.find('t1', 99), session)
        assert.equal(await storage.sessions.find('t1', 100), null, 'expired at expiresAt')
        assert.equal(await storage.sessions.revoke('t1'), session.id)
        assert.equal(await storage.sessions.revoke('t1'), null)
        assert.equal(await storage.sessions.find('t1', 0), null)

        await storage.sessions.create({ tokenHash: 'old', userId: user.id, now: 0, expiresAt: 10 })
        await storage.sessions.create({ tokenHash: 'new', userId: user.id, now: 0, expiresAt: 1000 })
        assert.equal(await storage.sessions.deleteExpired(500), 1)
        assert.equal((await storage.sessions.find('new', 500))?.user.id, user.id)
      } finally {
        await storage.close()
      }
    })
  })

  describe('close', () => {
    it('makes ping fail, and may be called twice', async () => {
      const storage = createSqliteStorage(join(dir, 'close.db'))
      await storage.ping()
      await storage.close()
      await assert.rejects(storage.ping())
      await storage.close()
    })
  })
})
