import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, beforeEach, describe, it } from 'node:test'
import type { NotificationSettings } from '../../../shared/notifications.ts'
import { isAppError } from '../../../server/errors.ts'
import { createStorage } from '../../../server/storage/create-storage.ts'
import type { Storage } from '../../../server/storage/types.ts'
import { createTestSchema, postgresSkipReason, type TestSchema } from '../../helpers/postgres.ts'
import { runWorkers } from '../../helpers/workers.ts'

/**
 * The storage contract: every method of every store interface, the same tests on SQLite (a
 * temporary file per test) and on PostgreSQL (a schema per test, at DATABASE_URL_TEST), so
 * that the app may run on either. PostgreSQL is skipped, with the reason, when it does not
 * answer, and fails instead where services are required.
 */

interface Harness {
  name: string
  skip: string | false
  /** A fresh, migrated, empty database: its URL, and `remove()` for after. */
  database: () => Promise<{ url: string, remove: () => Promise<void> }>
}

let sqliteDir: string
let sqliteFiles = 0
const harnesses: Harness[] = [
  {
    name: 'SQLite',
    skip: false,
    async database () {
      return { url: `sqlite:${join(sqliteDir, `contract-${++sqliteFiles}.db`)}`, remove: async () => {} }
    }
  },
  {
    name: 'PostgreSQL',
    skip: await postgresSkipReason(),
    async database () {
      const schema: TestSchema = await createTestSchema()
      return { url: schema.url, remove: schema.drop }
    }
  }
]

before(() => { sqliteDir = mkdtempSync(join(tmpdir(), 'hubbub-contract-')) })
after(() => rmSync(sqliteDir, { recursive: true, force: true }))

const isCode = (code: string) => (error: unknown) => {
  assert.ok(isAppError(error), `expected an AppError ${code}, got ${String(error)}`)
  assert.equal(error.code, code, `expected code ${code}, got ${error.code}: ${error.message}`)
  return true
}

for (const harness of harnesses) {
  describe(`${harness.name} storage contract`, { skip: harness.skip }, () => {
    let storage: Storage
    let db: Awaited<ReturnType<Harness['database']>>
    let users = 0
    const newUser = async (username = `user${++users}`) => storage.users.create({ username, passwordHash: 'h', now: users })

    beforeEach(async () => {
      db = await harness.database()
      storage = await createStorage({ databaseUrl: db.url, databasePoolSize: 4 })
    })
    afterEach(async () => {
      await storage.close()
      await db.remove()
    })

    describe('users', () => {
      it('creates a user and finds it by name (any case) and by id', async () => {
        const alice = await storage.users.create({ username: 'Alice', passwordHash: 'hash-a', now: 42 })
        assert.deepEqual(alice, { id: alice.id, username: 'Alice', passwordHash: 'hash-a', createdAt: 42 })
        assert.match(alice.id, /^[\w-]{22}$/, 'a 128-bit base64url id')
        assert.deepEqual(await storage.users.findByUsername('aLiCe'), alice, 'lookup is case-insensitive and keeps the chosen case')
        assert.deepEqual(await storage.users.findById(alice.id), { id: alice.id, username: 'Alice' })
        assert.equal(await storage.users.findById('nobody'), null)
        assert.equal(await storage.users.findByUsername('nobody'), null)
      })

      it('refuses a username that differs only in case, with a conflict', async () => {
        await storage.users.create({ username: 'Alice', passwordHash: 'h', now: 1 })
        await assert.rejects(storage.users.create({ username: 'alice', passwordHash: 'h', now: 2 }), isCode('conflict'))
        await assert.rejects(storage.users.create({ username: 'ALICE', passwordHash: 'h', now: 2 }), isCode('conflict'))
      })

      it('finds many users by name, any case, leaving out unknown names', async () => {
        const alice = await storage.users.create({ username: 'Alice', passwordHash: 'h', now: 1 })
        const bob = await storage.users.create({ username: 'bob', passwordHash: 'h', now: 1 })
        assert.deepEqual(await storage.users.findManyByUsername([]), [])
        assert.deepEqual(await storage.users.findManyByUsername(['ALICE', 'nobody']), [{ id: alice.id, username: 'Alice' }])
        const both = await storage.users.findManyByUsername(['Bob', 'alice'])
        assert.deepEqual(both.sort((a, b) => a.username.localeCompare(b.username)), [{ id: alice.id, username: 'Alice' }, { id: bob.id, username: 'bob' }])
      })
    })

    describe('profiles', () => {
      it('starts with nothing set, and changes only the parts given', async () => {
        const alice = await newUser('Alice')
        const blank = { id: alice.id, username: 'Alice', displayName: '', statusText: '', statusExpiresAt: null, timeZone: '' }
        assert.deepEqual(await storage.users.profiles([alice.id, 'nobody']), [blank], 'unknown ids are left out')
        const named = await storage.users.updateProfile(alice.id, { displayName: 'Ælice Ω', timeZone: 'Europe/Paris' })
        assert.deepEqual(named, { ...blank, displayName: 'Ælice Ω', timeZone: 'Europe/Paris' })
        const busy = await storage.users.updateProfile(alice.id, { status: { text: 'busy 🚧', expiresAt: 1_900_000_000_000 } })
        assert.deepEqual(busy, { ...named, statusText: 'busy 🚧', statusExpiresAt: 1_900_000_000_000 }, 'a timestamp past 2^31 keeps its value')
        assert.deepEqual(await storage.users.updateProfile(alice.id, {}), busy, 'an empty change reads the profile')
        assert.deepEqual(await storage.users.updateProfile(alice.id, { status: { text: '', expiresAt: null } }), { ...named })
        assert.equal(await storage.users.updateProfile('nobody', { displayName: 'x' }), null)
        assert.deepEqual(await storage.users.findById(alice.id), { id: alice.id, username: 'Alice' }, 'the user is as it was')
      })

      it('finds people by a part of the username or display name (lower-case query), by username key, in pages', async () => {
        const bob = await newUser('bob')
        await newUser('Carol')
        await newUser('dave_100%')
        await storage.users.updateProfile(bob.id, { displayName: 'Robert Ünderwood' })
        const names = (people: { username: string }[]) => people.map((p) => p.username)
        assert.deepEqual(names(await storage.users.findPeople({ query: '', limit: 10 })), ['bob', 'Carol', 'dave_100%'], 'everyone, by username key')
        assert.deepEqual(names(await storage.users.findPeople({ query: 'ünder', limit: 10 })), ['bob'], 'by a part of the display name')
        assert.deepEqual(names(await storage.users.findPeople({ query: 'aro', limit: 10 })), ['Carol'], 'by a part of the username')
        assert.deepEqual(names(await storage.users.findPeople({ query: '%', limit: 10 })), ['dave_100%'], '% and _ are letters')
        assert.deepEqual(names(await storage.users.findPeople({ query: '_', limit: 10 })), ['dave_100%'])
        assert.deepEqual(names(await storage.users.findPeople({ query: '', limit: 2 })), ['bob', 'Carol'])
        assert.deepEqual(names(await storage.users.findPeople({ query: '', after: 'carol', limit: 2 })), ['dave_100%'])
        assert.deepEqual((await storage.users.findPeople({ query: 'robert', limit: 1 }))[0], (await storage.users.profiles([bob.id]))[0])
        assert.deepEqual(names(await storage.users.findPeople({ query: 'nobody', limit: 10 })), [])
      })

      it('lists the rooms a user belongs to', async () => {
        const [alice, bob] = [await newUser(), await newUser()]
        assert.deepEqual(await storage.users.roomIds(alice.id), [])
        const room = await storage.chat.createRoom({ name: 'team', nameKey: 'team', topic: '', visibility: 'private', createdBy: alice.id, memberIds: [alice.id], now: 1 })
        await storage.chat.addMember('general', alice.id, 2)
        const { room: direct } = await storage.chat.findOrCreateDirect({ userIds: [alice.id, bob.id], name: 'a,b', now: 3 })
        assert.deepEqual((await storage.users.roomIds(alice.id)).sort(), [room!.id, 'general', direct.id].sort())
        assert.deepEqual(await storage.users.roomIds(bob.id), [direct.id])
      })
    })

    describe('sessions', () => {
      it('finds a session until it expires or is revoked', async () => {
        const user = await newUser('carol')
        const session = await storage.sessions.create({ tokenHash: 't1', userId: user.id, now: 0, expiresAt: 100 })
        assert.deepEqual(session, { id: session.id, user: { id: user.id, username: 'carol' }, expiresAt: 100 })
        assert.deepEqual(await storage.sessions.find('t1', 99), session)
        assert.equal(await storage.sessions.find('t1', 100), null, 'expired at expiresAt')
        assert.equal(await storage.sessions.find('unknown', 0), null)
        assert.equal(await storage.sessions.revoke('t1'), session.id)
        assert.equal(await storage.sessions.revoke('t1'), null)
        assert.equal(await storage.sessions.find('t1', 0), null)
      })

      it('deletes the expired sessions only, and says how many', async () => {
        const user = await newUser()
        await storage.sessions.create({ tokenHash: 'old', userId: user.id, now: 0, expiresAt: 10 })
        await storage.sessions.create({ tokenHash: 'older', userId: user.id, now: 0, expiresAt: 500 })
        await storage.sessions.create({ tokenHash: 'new', userId: user.id, now: 0, expiresAt: 1000 })
        assert.equal(await storage.sessions.deleteExpired(500), 2)
        assert.equal((await storage.sessions.find('new', 500))?.user.id, user.id)
        assert.equal(await storage.sessions.deleteExpired(500), 0)
      })
    })

    describe('rooms', () => {
      it('starts with the public rooms general, markets and random, listed to everyone', async () => {
        const user = await newUser()
        const rooms = await storage.chat.listRooms(user.id)
        assert.deepEqual(rooms.map((r) => [r.id, r.name, r.visibility, r.member, r.memberCount, r.lastSeq, r.unread, r.lastReadSeq]), [
          ['general', 'general', 'public', false, 0, 0, 0, 0],
          ['markets', 'markets', 'public', false, 0, 0, 0, 0],
          ['random', 'random', 'public', false, 0, 0, 0, 0]
        ])
        assert.equal(rooms[0]!.topic, 'Everything and anything')
      })

      it('creates public and private rooms with their members; a private room is listed to members only', async () => {
        const alice = await newUser()
        const bob = await newUser()
        const open = await storage.chat.createRoom({ name: 'Open', nameKey: 'open', topic: 'all welcome', visibility: 'public', createdBy: alice.id, memberIds: [alice.id], now: 5 })
        const hidden = await storage.chat.createRoom({ name: 'Hidden', nameKey: 'hidden', topic: '', visibility: 'private', createdBy: alice.id, memberIds: [alice.id, bob.id], now: 5 })
        assert.deepEqual(open, { id: open!.id, name: 'Open', topic: 'all welcome', visibility: 'public', lastSeq: 0, lastRev: 0, memberCount: 1 })
        assert.equal(hidden?.memberCount, 2)
        const carol = await newUser()
        assert.ok(!(await storage.chat.listRooms(carol.id)).some((r) => r.id === hidden!.id), 'not listed to a non-member')
        assert.ok((await storage.chat.listRooms(carol.id)).some((r) => r.id === open!.id && !r.member))
        assert.ok((await storage.chat.listRooms(bob.id)).some((r) => r.id === hidden!.id && r.member))
      })

      it('refuses a room whose name key a public room has, creating nothing; private rooms may share names', async () => {
        const alice = await newUser()
        const room = (name: string, visibility: 'public' | 'private') =>
          storage.chat.createRoom({ name, nameKey: name.toLowerCase(), topic: '', visibility, createdBy: alice.id, memberIds: [alice.id], now: 1 })
        assert.ok(await room('Lobby', 'public'))
        assert.equal(await room('LOBBY', 'public'), null)
        assert.equal(await room('lobby', 'private'), null, 'a public room has that name')
        assert.equal(await room('General', 'public'), null, 'the seeded rooms count')
        assert.ok(await room('Den', 'private'))
        assert.ok(await room('Den', 'private'), 'two private rooms may have one name')
        const names = (await storage.chat.listRooms(alice.id)).map((r) => r.name)
        assert.equal(names.filter((n) => n.toLowerCase() === 'lobby').length, 1, `rooms: ${names.join(', ')}`)
      })

      it('lists rooms by name in code-point order, direct rooms last', async () => {
        const alice = await newUser()
        const bob = await newUser()
        for (const name of ['beta', 'Zeta', 'alpha']) {
          await storage.chat.createRoom({ name, nameKey: name.toLowerCase(), topic: '', visibility: 'private', createdBy: alice.id, memberIds: [alice.id], now: 1 })
        }
        await storage.chat.findOrCreateDirect({ userIds: [alice.id, bob.id], name: 'Aardvark', now: 1 })
        assert.deepEqual((await storage.chat.listRooms(alice.id)).map((r) => r.name), ['Zeta', 'alpha', 'beta', 'general', 'markets', 'random', 'Aardvark'])
      })

      it('gets one room as a user sees it, and its access without counts', async () => {
        const alice = await newUser()
        const bob = await newUser()
        const room = await storage.chat.createRoom({ name: 'R', nameKey: 'r', topic: 't', visibility: 'private', createdBy: alice.id, memberIds: [alice.id], now: 1 })
        assert.deepEqual(await storage.chat.getRoom(room!.id, alice.id), { ...room, member: true, unread: 0, lastReadSeq: 0 })
        assert.deepEqual(await storage.chat.getRoom(room!.id, bob.id), { ...room, member: false, unread: 0, lastReadSeq: 0 })
        assert.equal(await storage.chat.getRoom('nope', alice.id), null)
        assert.deepEqual(await storage.chat.getRoomAccess(room!.id, alice.id), { id: room!.id, name: 'R', topic: 't', visibility: 'private', lastSeq: 0, lastRev: 0, member: true })
        assert.equal((await storage.chat.getRoomAccess(room!.id, bob.id))?.member, false)
        assert.equal(await storage.chat.getRoomAccess('nope', alice.id), null)
      })

      it('makes one direct room per pair, whichever of the two asks', async () => {
        const alice = await newUser()
        const bob = await newUser()
        const first = await storage.chat.findOrCreateDirect({ userIds: [alice.id, bob.id], name: 'ab', now: 1 })
        assert.equal(first.created, true)
        assert.deepEqual({ ...first.room, id: '' }, { id: '', name: 'ab', topic: '', visibility: 'direct', lastSeq: 0, lastRev: 0, memberCount: 2 })
        const again = await storage.chat.findOrCreateDirect({ userIds: [bob.id, alice.id], name: 'ba', now: 2 })
        assert.deepEqual(again, { room: first.room, created: false })
        const both = await Promise.all([1, 2, 3].map(async () => {
          const carol = await newUser()
          return Promise.all([
            storage.chat.findOrCreateDirect({ userIds: [alice.id, carol.id], name: 'x', now: 3 }),
            storage.chat.findOrCreateDirect({ userIds: [carol.id, alice.id], name: 'x', now: 3 })
          ])
        }))
        for (const [a, b] of both) {
          assert.equal(a.room.id, b.room.id, 'two concurrent asks get one room')
          assert.deepEqual([a.created, b.created].sort(), [false, true])
        }
        assert.deepEqual((await storage.chat.members(first.room.id)).map((u) => u.id).sort(), [alice.id, bob.id].sort())
      })

      it('adds a member once, with everything said before counted as read', async () => {
        const alice = await newUser()
        const bob = await newUser()
        for (let i = 0; i < 3; i++) await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: `m${i}`, clientId: `c${i}`, now: i })
        assert.equal(await storage.chat.addMember('general', bob.id, 10), true)
        assert.equal(await storage.chat.addMember('general', bob.id, 11), false)
        assert.equal(await storage.chat.addMember('nope', bob.id, 11), false, 'an unknown room adds nothing')
        const seen = await storage.chat.getRoom('general', bob.id)
        assert.deepEqual([seen?.member, seen?.lastReadSeq, seen?.unread, seen?.memberCount], [true, 3, 0, 1])
      })

      it('lists a room\'s members by name, case-insensitively', async () => {
        const names = ['bob', 'Alice', 'carol']
        const made = []
        for (const name of names) made.push(await newUser(name))
        for (const user of made) await storage.chat.addMember('random', user.id, 1)
        assert.deepEqual((await storage.chat.members('random')).map((u) => u.username), ['Alice', 'bob', 'carol'])
        assert.deepEqual(await storage.chat.members('markets'), [])
      })
    })

    describe('room roles', () => {
      const roomOf = (owner: string, visibility: 'public' | 'private' = 'public', name = `room${++users}`) =>
        storage.chat.createRoom({ name, nameKey: name.toLowerCase(), topic: 'first', visibility, createdBy: owner, memberIds: [owner], now: 1 })
      const roles = async (roomId: string) => (await storage.chat.members(roomId)).map((m) => `${m.username}:${m.role}`)

      it('makes the creator the owner and members who join members; a direct room has members only', async () => {
        const alice = await newUser('alice')
        const bob = await newUser('bob')
        const room = await roomOf(alice.id)
        await storage.chat.addMember(room!.id, bob.id, 2)
        assert.deepEqual(await roles(room!.id), ['alice:owner', 'bob:member'])
        assert.equal(await storage.chat.memberRole(room!.id, alice.id), 'owner')
        assert.equal(await storage.chat.memberRole(room!.id, 'nobody'), null)
        assert.equal(await storage.chat.memberRole('nope', alice.id), null)
        const { room: direct } = await storage.chat.findOrCreateDirect({ userIds: [alice.id, bob.id], name: 'ab', now: 1 })
        assert.deepEqual(await roles(direct.id), ['alice:member', 'bob:member'])
      })

      it('sets a member\'s role, and says false for a non-member', async () => {
        const alice = await newUser('alice')
        const bob = await newUser('bob')
        const room = await roomOf(alice.id)
        await storage.chat.addMember(room!.id, bob.id, 2)
        assert.equal(await storage.chat.setMemberRole(room!.id, bob.id, 'admin'), true)
        assert.equal(await storage.chat.setMemberRole(room!.id, 'nobody', 'admin'), false)
        assert.deepEqual(await roles(room!.id), ['alice:owner', 'bob:admin'])
      })

      it('renames a room and sets its topic; a name another public room has changes nothing', async () => {
        const alice = await newUser()
        const room = await roomOf(alice.id, 'public', 'Before')
        const other = await roomOf(alice.id, 'public', 'Other')
        const updated = await storage.chat.updateRoom({ roomId: room!.id, name: 'After', nameKey: 'after', topic: 'second' })
        assert.deepEqual(updated, { id: room!.id, name: 'After', topic: 'second', visibility: 'public', lastSeq: 0, lastRev: 0 })
        assert.deepEqual((await storage.chat.updateRoom({ roomId: room!.id, topic: 'third' }))?.name, 'After', 'a topic alone keeps the name')
        assert.equal(await storage.chat.updateRoom({ roomId: room!.id, name: 'OTHER', nameKey: 'other', topic: 'lost' }), null)
        assert.equal(await storage.chat.updateRoom({ roomId: room!.id, name: 'general', nameKey: 'general' }), null, 'the seeded rooms count')
        assert.ok(await storage.chat.updateRoom({ roomId: room!.id, name: 'after', nameKey: 'after' }), 'its own name in another case')
        const seen = await storage.chat.getRoomAccess(room!.id, alice.id)
        assert.deepEqual([seen?.name, seen?.topic], ['after', 'third'], 'the refused change changed nothing')
        assert.ok(await storage.chat.updateRoom({ roomId: other!.id, name: 'Before', nameKey: 'before' }), 'the old name is free again')
        await assert.rejects(storage.chat.updateRoom({ roomId: 'nope', topic: 'x' }), isCode('not_found'))
        await assert.rejects(storage.chat.updateRoom({ roomId: 'nope', name: 'Nope', nameKey: 'nope' }), isCode('not_found'))
      })

      it('removes a member; an owner removed hands the room to the longest-standing admin, else member', async () => {
        const [alice, bob, carol, dave] = [await newUser('alice'), await newUser('bob'), await newUser('carol'), await newUser('dave')]
        const room = await roomOf(alice.id)
        await storage.chat.addMember(room!.id, bob.id, 2)
        await storage.chat.addMember(room!.id, carol.id, 3)
        await storage.chat.addMember(room!.id, dave.id, 4)
        await storage.chat.setMemberRole(room!.id, dave.id, 'admin')
        assert.deepEqual(await storage.chat.removeMember(room!.id, bob.id), { removed: true, newOwner: null })
        assert.deepEqual(await storage.chat.removeMember(room!.id, bob.id), { removed: false, newOwner: null })
        assert.deepEqual(await storage.chat.removeMember(room!.id, alice.id), { removed: true, newOwner: { id: dave.id, username: 'dave', role: 'owner' } })
        assert.deepEqual(await roles(room!.id), ['carol:member', 'dave:owner'])
        assert.deepEqual(await storage.chat.removeMember(room!.id, dave.id), { removed: true, newOwner: { id: carol.id, username: 'carol', role: 'owner' } })
        assert.deepEqual(await storage.chat.removeMember(room!.id, carol.id), { removed: true, newOwner: null })
        assert.deepEqual(await roles(room!.id), [])
        assert.equal((await storage.chat.getRoom(room!.id, carol.id))?.member, false)
      })
    })

    describe('messages', () => {
      it('appends with the room\'s next seq, committed, and moves the author\'s read marker', async () => {
        const alice = await newUser('alice')
        await storage.chat.addMember('general', alice.id, 0)
        const first = await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'hello', clientId: 'c1', now: 1000 })
        assert.deepEqual(first, {
          created: true,
          message: {
            id: first.message.id, roomId: 'general', seq: 1, author: { id: alice.id, username: 'alice' }, text: 'hello', clientId: 'c1', createdAt: 1000, editedAt: null, deleted: false, reactions: [], rev: 0
          }
        })
        const second = await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'again', clientId: 'c2', now: 1001 })
        assert.equal(second.message.seq, 2)
        assert.deepEqual(await storage.chat.getMessage(first.message.id), first.message)
        const room = await storage.chat.getRoom('general', alice.id)
        assert.deepEqual([room?.lastSeq, room?.lastReadSeq, room?.unread], [2, 2, 0], 'one\'s own messages are read')
        assert.equal(await storage.chat.getMessage('nope'), null)
      })

      it('returns the stored message for the same (author, clientId), changing nothing and costing no seq', async () => {
        const alice = await newUser()
        const bob = await newUser()
        const first = await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'once', clientId: 'same', now: 1 })
        const retry = await storage.chat.appendMessage({ roomId: 'random', authorId: alice.id, text: 'twice', clientId: 'same', now: 2 })
        assert.deepEqual(retry, { message: first.message, created: false })
        const other = await storage.chat.appendMessage({ roomId: 'general', authorId: bob.id, text: 'mine', clientId: 'same', now: 3 })
        assert.deepEqual([other.created, other.message.seq], [true, 2], 'another author\'s clientId is another message')
        assert.equal((await storage.chat.getRoomAccess('random', alice.id))?.lastSeq, 0)
      })

      it('refuses an unknown room with not_found, costing no seq to the others of its batch', async () => {
        const alice = await newUser()
        const results = await Promise.allSettled([
          storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'a', clientId: 'a', now: 1 }),
          storage.chat.appendMessage({ roomId: 'nope', authorId: alice.id, text: 'b', clientId: 'b', now: 1 }),
          storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'c', clientId: 'c', now: 1 })
        ])
        assert.equal(results[1].status, 'rejected')
        isCode('not_found')((results[1] as PromiseRejectedResult).reason)
        assert.deepEqual(results.flatMap((r) => r.status === 'fulfilled' ? [r.value.message.seq] : []), [1, 2])
      })

      it('gives concurrent appends distinct seqs 1..N with no gap, and one message per (author, clientId) in a batch', async () => {
        const users = [await newUser(), await newUser(), await newUser()]
        const sends = Array.from({ length: 90 }, (_, i) => storage.chat.appendMessage({
          roomId: 'markets', authorId: users[i % 3]!.id, text: `m${i}`, clientId: `c${Math.floor(i / 6)}-${i % 3}`, now: i
        }))
        const results = await Promise.all(sends)
        const created = results.filter((r) => r.created)
        assert.equal(created.length, 45, 'each (author, clientId) came twice')
        assert.deepEqual(created.map((r) => r.message.seq).sort((a, b) => a - b), Array.from({ length: 45 }, (_, i) => i + 1))
        for (const retry of results.filter((r) => !r.created)) {
          assert.ok(created.some((r) => r.message.id === retry.message.id), 'a retry returns the first message')
        }
        assert.equal((await storage.chat.getRoomAccess('markets', users[0]!.id))?.lastSeq, 45)
      })

      it('edits a live message and refuses to edit a deleted one with conflict, each change taking the room\'s next rev', async () => {
        const alice = await newUser()
        const { message } = await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'tpyo', clientId: 'e1', now: 1 })
        const edited = await storage.chat.editMessage(message.id, 'typo', 5)
        assert.deepEqual(edited, { ...message, text: 'typo', editedAt: 5, rev: 1 })
        const deleted = await storage.chat.deleteMessage(message.id, 9)
        assert.deepEqual(deleted, { ...message, text: '', editedAt: 9, deleted: true, rev: 2 })
        assert.deepEqual(await storage.chat.getMessage(message.id), deleted)
        await assert.rejects(storage.chat.editMessage(message.id, 'back', 10), isCode('conflict'))
        assert.equal((await storage.chat.getRoomAccess('general', alice.id))?.lastRev, 2, 'the refused edit took no rev')
      })

      it('pages after a seq oldest first, and before a seq newest page first, saying whether there is more', async () => {
        const alice = await newUser()
        for (let i = 1; i <= 7; i++) await storage.chat.appendMessage({ roomId: 'random', authorId: alice.id, text: `m${i}`, clientId: `p${i}`, now: i })
        const seqs = (page: { messages: { seq: number }[], hasMore: boolean }) => [page.messages.map((m) => m.seq), page.hasMore]
        assert.deepEqual(seqs(await storage.chat.messagesAfter('random', 0, 3)), [[1, 2, 3], true])
        assert.deepEqual(seqs(await storage.chat.messagesAfter('random', 4, 3)), [[5, 6, 7], false])
        assert.deepEqual(seqs(await storage.chat.messagesAfter('random', 7, 3)), [[], false])
        assert.deepEqual(seqs(await storage.chat.messagesBefore('random', 8, 3)), [[5, 6, 7], true])
        assert.deepEqual(seqs(await storage.chat.messagesBefore('random', 4, 3)), [[1, 2, 3], false])
        assert.deepEqual(seqs(await storage.chat.messagesAfter('general', 0, 3)), [[], false], 'another room\'s messages are not mixed in')
      })
    })

    describe('reactions', () => {
      const users = (message: { reactions?: { emoji: string, count: number, users: { username: string }[] }[] }) =>
        message.reactions!.map(({ emoji, count, users }) => [emoji, count, ...users.map((user) => user.username)])

      it('adds and takes back reactions, grouped by emoji in the order of their earliest reaction, each change taking the room\'s next rev', async () => {
        const alice = await newUser('alice')
        const bob = await newUser('bob')
        const { message } = await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'react to me', clientId: 'x1', now: 1 })
        const react = (userId: string, emoji: string, on?: boolean) => storage.chat.react({ messageId: message.id, userId, emoji, on, now: 2, maxDistinct: 20 })

        const first = await react(bob.id, '👍')
        assert.equal(first.changed, true)
        assert.deepEqual(users(first.message), [['👍', 1, 'bob']])
        assert.equal(first.message.rev, 1)
        await react(alice.id, ':tada:', true)
        const both = await react(alice.id, '👍')
        assert.deepEqual(users(both.message), [['👍', 2, 'bob', 'alice'], [':tada:', 1, 'alice']], 'users in the order they reacted')
        assert.equal(both.message.rev, 3)
        const again = await react(alice.id, '👍', true)
        assert.deepEqual([again.changed, again.message.rev, users(again.message)], [false, 3, users(both.message)], 'already so: nothing changes')
        const off = await react(bob.id, '👍')
        assert.deepEqual([off.changed, off.message.rev, users(off.message)], [true, 4, [[':tada:', 1, 'alice'], ['👍', 1, 'alice']]],
          'bob\'s was the first 👍: alice\'s came after her 🎉')
        assert.equal((await react(bob.id, '👍', false)).changed, false)

        assert.deepEqual(await storage.chat.getMessage(message.id), off.message)
        assert.deepEqual((await storage.chat.messagesAfter('general', 0, 10)).messages, [off.message])
        assert.deepEqual((await storage.chat.messagesBefore('general', 2, 10)).messages, [off.message])
        assert.deepEqual((await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'retry', clientId: 'x1', now: 3 })).message, off.message,
          'a retried append returns the message as it now is')
        assert.equal((await storage.chat.getRoomAccess('general', alice.id))?.lastRev, 4)
        assert.equal((await storage.chat.getRoom('general', alice.id))?.lastRev, 4)
        assert.equal((await storage.chat.getRoomAccess('random', alice.id))?.lastRev, 0, 'revs are per room')
        const [hit] = (await storage.chat.searchMessages({ userId: bob.id, terms: ['react'], hasLink: false, limit: 10 })).hits
        assert.deepEqual(hit?.message, off.message, 'a search hit is the message as it now is')
      })

      it('refuses a missing message (not_found), a deleted one and a new emoji past maxDistinct (conflict), changing nothing', async () => {
        const alice = await newUser()
        const bob = await newUser()
        const { message } = await storage.chat.appendMessage({ roomId: 'random', authorId: alice.id, text: 'few', clientId: 'x2', now: 1 })
        const react = (userId: string, emoji: string, messageId = message.id) => storage.chat.react({ messageId, userId, emoji, now: 2, maxDistinct: 2 })
        await react(alice.id, ':a:')
        await react(alice.id, ':b:')
        await assert.rejects(react(bob.id, ':c:'), isCode('conflict'))
        const added = await react(bob.id, ':a:')
        assert.deepEqual([added.message.rev, added.message.reactions!.map((r) => [r.emoji, r.count])], [3, [[':a:', 2], [':b:', 1]]])
        await assert.rejects(react(bob.id, ':a:', 'nope'), isCode('not_found'))
        const deleted = await storage.chat.deleteMessage(message.id, 3)
        assert.deepEqual([deleted.reactions, deleted.rev], [[], 4], 'a deleted message loses its reactions')
        await assert.rejects(react(bob.id, ':a:'), isCode('conflict'))
        assert.equal((await storage.chat.getRoomAccess('random', alice.id))?.lastRev, 4, 'the refusals took no rev')
        assert.deepEqual((await storage.chat.getMessage(message.id))?.reactions, [])
      })

      it('keeps to maxDistinct when many new emoji come at once', async () => {
        const alice = await newUser()
        const { message } = await storage.chat.appendMessage({ roomId: 'random', authorId: alice.id, text: 'race', clientId: 'x3', now: 1 })
        const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) =>
          storage.chat.react({ messageId: message.id, userId: alice.id, emoji: `:e${i}:`, now: 2, maxDistinct: 5 })))
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 5, JSON.stringify(results.map((r) => r.status)))
        assert.equal((await storage.chat.getMessage(message.id))?.reactions?.length, 5)
        assert.equal((await storage.chat.getMessage(message.id))?.rev, 5)
        const standing = (await storage.chat.getMessage(message.id))!.reactions!.map((r) => r.emoji)
        const toggles = await Promise.all(Array.from({ length: 11 }, () =>
          storage.chat.react({ messageId: message.id, userId: alice.id, emoji: standing[0]!, now: 3, maxDistinct: 5 })))
        assert.ok(toggles.every((toggle) => toggle.changed), 'concurrent toggles of one reaction take turns, each seeing the one before')
        assert.deepEqual((await storage.chat.getMessage(message.id))!.reactions!.map((r) => r.emoji), standing.slice(1), 'an odd number of toggles took it back')
      })

      it('lists the messages up to a seq changed in a range of revs, oldest change first: edits, deletions, reactions', async () => {
        const alice = await newUser()
        const ids: string[] = []
        for (let i = 1; i <= 4; i++) ids.push((await storage.chat.appendMessage({ roomId: 'markets', authorId: alice.id, text: `c${i}`, clientId: `c${i}`, now: i })).message.id)
        const react = (id: string, emoji: string) => storage.chat.react({ messageId: id, userId: alice.id, emoji, now: 5, maxDistinct: 20 })
        await react(ids[1]!, '👍') // rev 1, seq 2
        await storage.chat.editMessage(ids[0]!, 'c1 fixed', 6) // rev 2, seq 1
        await storage.chat.deleteMessage(ids[2]!, 7) // rev 3, seq 3
        await react(ids[3]!, '👍') // rev 4, seq 4
        await react(ids[1]!, '🎉') // rev 5, seq 2
        const changed = async (upToSeq: number, afterRev: number, throughRev: number, limit = 10) => {
          const page = await storage.chat.messagesChanged('markets', { upToSeq, afterRev, throughRev }, limit)
          return [page.messages.map((m) => [m.seq, m.rev]), page.hasMore]
        }
        assert.deepEqual(await changed(3, 0, 5), [[[1, 2], [3, 3], [2, 5]], false])
        assert.deepEqual(await changed(4, 0, 5), [[[1, 2], [3, 3], [4, 4], [2, 5]], false])
        assert.deepEqual(await changed(3, 2, 5), [[[3, 3], [2, 5]], false])
        assert.deepEqual(await changed(3, 0, 4), [[[1, 2], [3, 3]], false])
        assert.deepEqual(await changed(3, 0, 5, 1), [[[1, 2]], true])
        assert.deepEqual(await changed(3, 5, 5), [[], false])
        const [withReactions] = (await storage.chat.messagesChanged('markets', { upToSeq: 2, afterRev: 4, throughRev: 5 }, 10)).messages
        assert.deepEqual(withReactions?.reactions?.map((r) => r.emoji), ['👍', '🎉'], 'as they now are, reactions included')
      })
    })

    describe('message search', () => {
      const search = (userId: string, terms: string[], more: Partial<Parameters<Storage['chat']['searchMessages']>[0]> = {}) =>
        storage.chat.searchMessages({ userId, terms, hasLink: false, limit: 10, ...more })
      const texts = (page: { hits: { message: { text: string } }[] }) => page.hits.map((hit) => hit.message.text)

      it('finds messages whose words start with every term, any case, newest first, in pages', async () => {
        const alice = await newUser('alice')
        const said = ['Deploying the API today', 'deploy failed again', 'Lunch?', 'the API deploy is green', 'DEPLOYMENT notes for the api']
        for (const [i, text] of said.entries()) await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text, clientId: `s${i}`, now: 1000 + i })
        assert.deepEqual(texts(await search(alice.id, ['deplo'])), [said[4], said[3], said[1], said[0]])
        assert.deepEqual(texts(await search(alice.id, ['deploy', 'api'])), [said[4], said[3], said[0]], 'every term must match')
        assert.deepEqual(texts(await search(alice.id, ['ploy'])), [], 'a term matches the start of a word, not its middle')
        assert.deepEqual(texts(await search(alice.id, ['l'])), [], 'a one-character term matches only that word, not "Lunch"')
        const first = await search(alice.id, ['deplo'], { limit: 3 })
        assert.deepEqual(texts(first), [said[4], said[3], said[1]])
        assert.ok(first.nextCursor, 'a full page says where the next starts')
        const second = await search(alice.id, ['deplo'], { limit: 3, cursor: first.nextCursor })
        assert.deepEqual([texts(second), second.nextCursor], [[said[0]], null])
        const hit = first.hits[0]!
        assert.deepEqual(hit.room, { id: 'general', name: 'general', visibility: 'public' })
        assert.equal(hit.message.author.username, 'alice')
      })

      it('finds only what the user may read: public rooms and their own rooms; never deleted messages; edits by their new text', async () => {
        const [alice, bob] = [await newUser('alice'), await newUser('bob')]
        const secret = await storage.chat.createRoom({ name: 'secret', nameKey: 'secret', topic: '', visibility: 'private', createdBy: alice.id, memberIds: [alice.id], now: 1 })
        const { room: direct } = await storage.chat.findOrCreateDirect({ userIds: [alice.id, bob.id], name: 'alice,bob', now: 1 })
        const post = async (roomId: string, text: string, clientId: string) =>
          (await storage.chat.appendMessage({ roomId, authorId: alice.id, text, clientId, now: 10 })).message
        await post(secret!.id, 'zebra in private', 'p1')
        await post(direct.id, 'zebra in a direct room', 'p2')
        await post('random', 'zebra in public', 'p3')
        const deleted = await post('random', 'zebra deleted', 'p4')
        await storage.chat.deleteMessage(deleted.id, 11)
        const edited = await post('random', 'horse before the edit', 'p5')
        await storage.chat.editMessage(edited.id, 'zebra after the edit', 12)
        const carol = await newUser('carol')
        assert.deepEqual(texts(await search(carol.id, ['zebra'])).sort(), ['zebra after the edit', 'zebra in public'], 'a stranger: public rooms only')
        assert.deepEqual(texts(await search(bob.id, ['zebra'])).sort(), ['zebra after the edit', 'zebra in a direct room', 'zebra in public'])
        assert.deepEqual(texts(await search(alice.id, ['zebra'])).sort(), ['zebra after the edit', 'zebra in a direct room', 'zebra in private', 'zebra in public'])
        assert.deepEqual(texts(await search(alice.id, ['horse'])), [], 'the old text of an edit is gone from the index')
        assert.deepEqual(texts(await search(alice.id, ['deleted'])), [], 'a deleted message is never found')
      })

      it('narrows by room, author, link and time, with or without terms', async () => {
        const [alice, bob] = [await newUser('alice'), await newUser('Bob')]
        await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'see https://example.com/x', clientId: 'f1', now: 1000 })
        await storage.chat.appendMessage({ roomId: 'random', authorId: bob.id, text: 'see you at HTTPS://EXAMPLE.ORG', clientId: 'f2', now: 2000 })
        await storage.chat.appendMessage({ roomId: 'random', authorId: alice.id, text: 'see nothing', clientId: 'f3', now: 3000 })
        assert.deepEqual(texts(await search(alice.id, ['see'], { roomKey: 'random' })), ['see nothing', 'see you at HTTPS://EXAMPLE.ORG'])
        assert.deepEqual(texts(await search(alice.id, [], { authorKey: 'bob' })), ['see you at HTTPS://EXAMPLE.ORG'], 'from: alone, no terms')
        assert.deepEqual(texts(await search(alice.id, ['see'], { hasLink: true })), ['see you at HTTPS://EXAMPLE.ORG', 'see https://example.com/x'])
        assert.deepEqual(texts(await search(alice.id, ['see'], { after: 1500, before: 3000 })), ['see you at HTTPS://EXAMPLE.ORG'])
        assert.deepEqual(texts(await search(alice.id, [], { roomKey: 'nowhere' })), [])
        assert.deepEqual(texts(await search(alice.id, ['example', 'x'])), ['see https://example.com/x'], 'the words of a link split as everywhere else')
      })

      it('refuses a cursor it did not give with invalid_payload', async () => {
        const alice = await newUser()
        for (const cursor of ['x', '-1', '1.2.3', "1' OR 1=1", '']) {
          await assert.rejects(search(alice.id, ['a'], { cursor }), isCode('invalid_payload'), cursor)
        }
      })
    })

    describe('threads', () => {
      it('stores a reply with the room\'s next seq, counts it on its root with the room\'s next rev, and pages the thread apart from the timeline', async () => {
        const alice = await newUser()
        const bob = await newUser()
        await storage.chat.addMember('general', bob.id, 0)
        const append = (authorId: string, text: string, now: number, thread?: { threadRootId: string, alsoInRoom?: boolean }) =>
          storage.chat.appendMessage({ roomId: 'general', authorId, text, clientId: `t-${text}`, now, ...thread })
        const { message: root } = await append(alice.id, 'root', 1)
        const { message: reply } = await append(bob.id, 'reply 1', 2, { threadRootId: root.id })
        assert.deepEqual([reply.seq, reply.threadRootId, reply.alsoInRoom], [2, root.id, false])
        await append(bob.id, 'reply 2', 3, { threadRootId: root.id, alsoInRoom: true })
        await append(alice.id, 'after', 4)
        const counted = (await storage.chat.getMessage(root.id))!
        assert.deepEqual([counted.replyCount, counted.lastReplyAt, counted.rev], [2, 3, 2], 'two replies, the last at 3, each taking a rev')
        assert.equal(root.replyCount, undefined, 'a message without replies has no count')
        const room = (await storage.chat.getRoom('general', alice.id))!
        assert.deepEqual([room.lastSeq, room.lastRev], [4, 2])

        const texts = (page: { messages: { text: string }[], hasMore: boolean }) => [page.messages.map((m) => m.text), page.hasMore]
        assert.deepEqual(texts(await storage.chat.messagesBefore('general', 99, 10)), [['root', 'reply 2', 'after'], false], 'the timeline: a reply only when also in the room')
        assert.deepEqual(texts(await storage.chat.messagesAfter('general', 0, 10)), [['root', 'reply 1', 'reply 2', 'after'], false], 'catch-up: every reply')
        assert.deepEqual(texts(await storage.chat.threadReplies(root.id, 99, 10)), [['reply 1', 'reply 2'], false])
        assert.deepEqual(texts(await storage.chat.threadReplies(root.id, 99, 1)), [['reply 2'], true])
        assert.deepEqual(texts(await storage.chat.threadReplies(root.id, 3, 1)), [['reply 1'], false])
        const changed = await storage.chat.messagesChanged('general', { upToSeq: 4, afterRev: 0, throughRev: 2 }, 10)
        assert.deepEqual(changed.messages.map((m) => [m.id, m.replyCount]), [[root.id, 2]], 'the root\'s count is a change')
        assert.equal((await storage.chat.getRoom('general', bob.id))?.unread, 1, 'his replies moved his marker to 3: alice\'s "after" is unread')
      })

      it('refuses a reply to a reply, to another room\'s message or to a deleted one, taking no seq; a retried reply is counted once', async () => {
        const alice = await newUser()
        const { message: root } = await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'root', clientId: 'r-root', now: 1 })
        const { message: reply } = await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'reply', clientId: 'r-reply', now: 2, threadRootId: root.id })
        const { message: elsewhere } = await storage.chat.appendMessage({ roomId: 'random', authorId: alice.id, text: 'elsewhere', clientId: 'r-else', now: 3 })
        const { message: gone } = await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'gone', clientId: 'r-gone', now: 4 })
        await storage.chat.deleteMessage(gone.id, 5)
        const attempt = (threadRootId: string, n: number) =>
          storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'no', clientId: `r-no-${n}`, now: 6, threadRootId })
        await assert.rejects(attempt(reply.id, 1), isCode('invalid_payload'))
        await assert.rejects(attempt(elsewhere.id, 2), isCode('invalid_payload'))
        await assert.rejects(attempt('no-such-message', 3), isCode('invalid_payload'))
        await assert.rejects(attempt(gone.id, 4), isCode('conflict'))
        assert.equal((await storage.chat.getRoom('general', alice.id))?.lastSeq, 3, 'no seq taken')
        const again = await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'reply', clientId: 'r-reply', now: 7, threadRootId: root.id })
        assert.deepEqual([again.created, again.message.id], [false, reply.id])
        assert.equal((await storage.chat.getMessage(root.id))?.replyCount, 1)
      })

      it('follows threads: on and off set it, auto only adds who never chose', async () => {
        const [alice, bob, carol] = [await newUser(), await newUser(), await newUser()]
        const { message: root } = await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'root', clientId: 'f-root', now: 1 })
        assert.deepEqual(await storage.chat.threadFollowers(root.id), [])
        await storage.chat.followThread(root.id, [alice.id, bob.id, alice.id], 'auto')
        await storage.chat.followThread(root.id, [bob.id], 'off')
        await storage.chat.followThread(root.id, [alice.id, bob.id, carol.id], 'auto')
        assert.deepEqual(await storage.chat.threadFollowers(root.id), [alice.id, carol.id].sort(), 'bob stopped; auto does not undo it')
        await storage.chat.followThread(root.id, [bob.id], 'on')
        await storage.chat.followThread(root.id, [carol.id], 'off')
        assert.deepEqual(await storage.chat.threadFollowers(root.id), [alice.id, bob.id].sort())
        await storage.chat.followThread(root.id, [], 'on')
      })
    })

    describe('read markers', () => {
      it('moves forward only, never past the room\'s last seq, and counts others\' live messages after it', async () => {
        const alice = await newUser()
        const bob = await newUser()
        await storage.chat.addMember('general', bob.id, 0)
        for (let i = 1; i <= 5; i++) await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: `m${i}`, clientId: `r${i}`, now: i })
        assert.equal((await storage.chat.listRooms(bob.id)).find((r) => r.id === 'general')?.unread, 5)
        assert.deepEqual(await storage.chat.markRead('general', bob.id, 2), { lastReadSeq: 2, unread: 3 })
        await storage.chat.appendMessage({ roomId: 'general', authorId: bob.id, text: 'mine', clientId: 'own', now: 6 })
        assert.deepEqual(await storage.chat.markRead('general', bob.id, 2), { lastReadSeq: 6, unread: 0 }, 'his own message at seq 6 moved his marker')
        await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'm7', clientId: 'r7', now: 7 })
        await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'm8', clientId: 'r8', now: 8 })
        assert.deepEqual(await storage.chat.markRead('general', bob.id, 3), { lastReadSeq: 6, unread: 2 }, 'never back')
        assert.deepEqual(await storage.chat.markRead('general', bob.id, 99), { lastReadSeq: 8, unread: 0 }, 'never past the last seq')
        const third = await newUser()
        await storage.chat.addMember('general', third.id, 0)
        await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'm9', clientId: 'r9', now: 9 })
        const doomed = await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'm10', clientId: 'r10', now: 10 })
        await storage.chat.deleteMessage(doomed.message.id, 11)
        assert.equal((await storage.chat.getRoom('general', third.id))?.unread, 1, 'deleted messages are not unread')
        assert.deepEqual(await storage.chat.markRead('general', third.id, 9), { lastReadSeq: 9, unread: 0 })
      })

      it('moves back on markUnread, so the message at seq is the first unread one; never past the last seq', async () => {
        const alice = await newUser()
        const bob = await newUser()
        const room = await storage.chat.createRoom({ name: `unread ${bob.id}`, nameKey: `unread ${bob.id}`, topic: '', visibility: 'private', createdBy: alice.id, memberIds: [alice.id, bob.id], now: 0 })
        for (let i = 1; i <= 5; i++) await storage.chat.appendMessage({ roomId: room!.id, authorId: alice.id, text: `m${i}`, clientId: `u${bob.id}${i}`, now: i })
        assert.deepEqual(await storage.chat.markRead(room!.id, bob.id, 5), { lastReadSeq: 5, unread: 0 })
        assert.deepEqual(await storage.chat.markUnread(room!.id, bob.id, 3), { lastReadSeq: 2, unread: 3 })
        assert.deepEqual([(await storage.chat.getRoom(room!.id, bob.id))?.lastReadSeq, (await storage.chat.listRooms(bob.id)).find((r) => r.id === room!.id)?.unread], [2, 3], 'stored')
        assert.deepEqual(await storage.chat.markUnread(room!.id, bob.id, 1), { lastReadSeq: 0, unread: 5 }, 'from the first message: all unread')
        assert.deepEqual(await storage.chat.markUnread(room!.id, bob.id, 4), { lastReadSeq: 3, unread: 2 }, 'forward too: it sets the marker')
        assert.deepEqual(await storage.chat.markUnread(room!.id, bob.id, 99), { lastReadSeq: 5, unread: 0 }, 'never past the last seq')
        assert.deepEqual(await storage.chat.markUnread(room!.id, (await newUser()).id, 2), { lastReadSeq: 0, unread: 5 }, 'no marker of a non-member is written')
      })
    })

    describe('notifications', () => {
      const note = { kind: 'mention' as const, title: 'Hi', body: 'there', url: '/rooms/general' }

      it('stores one per user and lists them newest first in pages', async () => {
        const alice = await newUser()
        const bob = await newUser()
        const first = await storage.notifications.insert([alice.id, bob.id], note, 100)
        assert.deepEqual([...first.keys()].sort(), [alice.id, bob.id].sort())
        assert.deepEqual(first.get(alice.id), { id: first.get(alice.id)!.id, ...note, createdAt: 100, readAt: null, roomId: null, roomName: null, actor: null })
        assert.notEqual(first.get(alice.id)!.id, first.get(bob.id)!.id)
        const ids = [first.get(alice.id)!.id]
        for (let i = 1; i < 5; i++) ids.push((await storage.notifications.insert([alice.id], { ...note, title: `n${i}`, url: null }, 100 + i)).get(alice.id)!.id)
        const page = await storage.notifications.list(alice.id, undefined, 2)
        assert.deepEqual([page.notifications.map((n) => n.id), page.hasMore], [[ids[4], ids[3]], true])
        const next = await storage.notifications.list(alice.id, ids[3], 2)
        assert.deepEqual([next.notifications.map((n) => n.id), next.hasMore], [[ids[2], ids[1]], true])
        const last = await storage.notifications.list(alice.id, ids[1], 2)
        assert.deepEqual([last.notifications.map((n) => n.id), last.hasMore], [[ids[0]], false])
        assert.deepEqual((await storage.notifications.list(bob.id, undefined, 10)).notifications.length, 1)
        assert.deepEqual(await storage.notifications.list(bob.id, ids[3], 10), { notifications: [], hasMore: false }, 'another user\'s id cuts nothing')
        assert.deepEqual(await storage.notifications.insert([], note, 1), new Map())
      })

      it('marks one\'s own notifications read, by id or all, and counts the unread', async () => {
        const alice = await newUser()
        const bob = await newUser()
        const made = []
        for (let i = 0; i < 3; i++) made.push((await storage.notifications.insert([alice.id, bob.id], note, i)))
        assert.equal(await storage.notifications.unread(alice.id), 3)
        const aliceIds = made.map((m) => m.get(alice.id)!.id)
        assert.equal(await storage.notifications.markRead(alice.id, { ids: [aliceIds[0]!, made[1]!.get(bob.id)!.id] }, 50), 2, 'another\'s id is ignored')
        assert.equal(await storage.notifications.unread(bob.id), 3)
        assert.equal((await storage.notifications.list(alice.id, undefined, 10)).notifications.find((n) => n.id === aliceIds[0])?.readAt, 50)
        assert.equal(await storage.notifications.markRead(alice.id, { ids: [] }, 60), 2)
        assert.equal(await storage.notifications.markRead(alice.id, { all: true }, 70), 0)
        assert.equal((await storage.notifications.list(alice.id, undefined, 10)).notifications.find((n) => n.id === aliceIds[0])?.readAt, 50, 'read once, at the first time')
      })

      it('keeps where a notification comes from, and lists by filter', async () => {
        const alice = await newUser()
        const from = { roomId: 'general', roomName: 'general', actor: 'bob' }
        const mention = (await storage.notifications.insert([alice.id], { ...note, ...from }, 1)).get(alice.id)!
        assert.deepEqual((await storage.notifications.list(alice.id, undefined, 10)).notifications, [mention])
        const dm = (await storage.notifications.insert([alice.id], { ...note, kind: 'dm' }, 2)).get(alice.id)!
        const alert = (await storage.notifications.insert([alice.id], { ...note, kind: 'price-alert' }, 3)).get(alice.id)!
        const service = (await storage.notifications.insert([alice.id], { ...note, kind: 'system' }, 4)).get(alice.id)!
        await storage.notifications.markRead(alice.id, { ids: [dm.id, service.id] }, 5)
        const ids = async (filter?: 'unread' | 'mentions' | 'dms' | 'alerts' | 'services', before?: string) =>
          (await storage.notifications.list(alice.id, before, 10, filter)).notifications.map((n) => n.id)
        assert.deepEqual(await ids('unread'), [alert.id, mention.id])
        assert.deepEqual(await ids('unread', alert.id), [mention.id], 'pages cut within the filter')
        assert.deepEqual(await ids('mentions'), [mention.id])
        assert.deepEqual(await ids('dms'), [dm.id])
        assert.deepEqual(await ids('alerts'), [alert.id])
        assert.deepEqual(await ids('services'), [service.id])
      })

      it('marks one unread again, only one\'s own and not done', async () => {
        const alice = await newUser()
        const bob = await newUser()
        const made = await storage.notifications.insert([alice.id, bob.id], note, 1)
        const mine = made.get(alice.id)!.id
        await storage.notifications.markRead(alice.id, { all: true }, 2)
        await storage.notifications.markRead(bob.id, { all: true }, 2)
        assert.equal(await storage.notifications.markUnread(alice.id, made.get(bob.id)!.id), null, 'another user\'s id')
        assert.equal(await storage.notifications.unread(bob.id), 0)
        assert.equal(await storage.notifications.markUnread(alice.id, mine), 1)
        assert.equal((await storage.notifications.list(alice.id, undefined, 10)).notifications[0]!.readAt, null)
        await storage.notifications.setDone(alice.id, [mine], true, 3)
        assert.equal(await storage.notifications.markUnread(alice.id, mine), null, 'a done one')
      })

      it('marks done (read, out of every list) and back, one\'s own only, saying which changed', async () => {
        const alice = await newUser()
        const bob = await newUser()
        const a = await storage.notifications.insert([alice.id, bob.id], note, 1)
        const b = await storage.notifications.insert([alice.id], note, 2)
        const [first, second, theirs] = [a.get(alice.id)!.id, b.get(alice.id)!.id, a.get(bob.id)!.id]
        assert.deepEqual(await storage.notifications.setDone(alice.id, [first, theirs, first], true, 10), { changed: [first], unread: 1 })
        assert.deepEqual(await storage.notifications.setDone(alice.id, [first], true, 11), { changed: [], unread: 1 }, 'already done')
        assert.deepEqual((await storage.notifications.list(bob.id, undefined, 10)).notifications.map((n) => n.id), [theirs])
        assert.deepEqual((await storage.notifications.list(alice.id, undefined, 10)).notifications.map((n) => n.id), [second])
        assert.deepEqual(await storage.notifications.list(alice.id, undefined, 10, 'mentions'), { notifications: [(await storage.notifications.list(alice.id, undefined, 10)).notifications[0]!], hasMore: false })
        assert.deepEqual(await storage.notifications.setDone(alice.id, [first, second], false, 12), { changed: [first], unread: 1 })
        const back = (await storage.notifications.list(alice.id, undefined, 10)).notifications
        assert.deepEqual(back.map((n) => [n.id, n.readAt]), [[second, null], [first, 10]], 'back, read when it was done')
      })

      it('stores room preferences and settings per user, defaults until set, and a room back at its defaults leaves no row', async () => {
        const alice = await newUser()
        const bob = await newUser()
        const defaults: NotificationSettings = { dndUntil: null, schedule: null, desktopKinds: ['mention', 'dm', 'invite', 'price-alert', 'system', 'message'] }
        assert.deepEqual(await storage.notifications.preferences(alice.id), { rooms: [], settings: defaults })
        assert.deepEqual(await storage.notifications.setRoom(alice.id, 'random', { level: 'nothing' }), { roomId: 'random', level: 'nothing', mutedUntil: null })
        assert.deepEqual(await storage.notifications.setRoom(alice.id, 'general', { mutedUntil: 8_640_000_000_000_000 }), { roomId: 'general', level: null, mutedUntil: 8_640_000_000_000_000 })
        assert.deepEqual(await storage.notifications.setRoom(alice.id, 'general', { level: 'all' }), { roomId: 'general', level: 'all', mutedUntil: 8_640_000_000_000_000 }, 'the mute stays')
        await storage.notifications.setRoom(bob.id, 'general', { level: 'mentions' })
        assert.deepEqual((await storage.notifications.preferences(alice.id)).rooms, [
          { roomId: 'general', level: 'all', mutedUntil: 8_640_000_000_000_000 },
          { roomId: 'random', level: 'nothing', mutedUntil: null }
        ])
        assert.deepEqual(await storage.notifications.roomPreferences('general'), new Map([
          [alice.id, { roomId: 'general', level: 'all', mutedUntil: 8_640_000_000_000_000 }],
          [bob.id, { roomId: 'general', level: 'mentions', mutedUntil: null }]
        ]))
        await storage.notifications.setRoom(alice.id, 'random', { level: null })
        assert.deepEqual((await storage.notifications.roomPreferences('random')).size, 0)

        const schedule = { timeZone: 'Europe/Paris', days: [5, 6], from: 1320, to: 420 }
        assert.deepEqual(await storage.notifications.setSettings(alice.id, { schedule, desktopKinds: ['dm'] }), { dndUntil: null, schedule, desktopKinds: ['dm'] })
        assert.deepEqual(await storage.notifications.setSettings(alice.id, { dndUntil: 99 }), { dndUntil: 99, schedule, desktopKinds: ['dm'] }, 'the rest stays')
        assert.deepEqual(await storage.notifications.settings([alice.id, bob.id]), new Map([[alice.id, { dndUntil: 99, schedule, desktopKinds: ['dm'] }], [bob.id, defaults]]))
        assert.deepEqual((await storage.notifications.preferences(alice.id)).settings, { dndUntil: 99, schedule, desktopKinds: ['dm'] })
      })

      it('lists every user id', async () => {
        const made = [await newUser(), await newUser()]
        assert.deepEqual((await storage.notifications.allUserIds()).sort(), made.map((u) => u.id).sort())
      })
    })

    describe('alerts', () => {
      const input = (userId: string, over: Partial<{ symbol: string, direction: 'above' | 'below', price: number, now: number, maxPending: number }> = {}) =>
        ({ userId, symbol: 'QLFX', direction: 'above' as const, price: 150.5, now: 1000, maxPending: 50, ...over })

      it('creates an alert and lists it among the user\'s pending ones, oldest first', async () => {
        const alice = (await newUser()).id
        const bob = (await newUser()).id
        const first = await storage.alerts.create(input(alice, { now: 1000 }))
        const second = await storage.alerts.create(input(alice, { symbol: 'QSH.A', direction: 'below', price: 0.01, now: 2000 }))
        const third = await storage.alerts.create(input(alice, { price: 1 / 3, now: 1000 }))
        await storage.alerts.create(input(bob))
        assert.deepEqual(first, { id: first.id, userId: alice, symbol: 'QLFX', direction: 'above', price: 150.5, createdAt: 1000 })
        assert.deepEqual(await storage.alerts.listPending(alice), [first, third, second], 'by time, then in the order made')
        assert.equal(third.price, 1 / 3, 'prices keep every bit of a double')
        assert.equal((await storage.alerts.listPending(bob)).length, 1)
      })

      it('refuses a user\'s alert past the limit with conflict, counting only pending ones, even when sent at once', async () => {
        const carol = (await newUser()).id
        const made = []
        for (let i = 0; i < 3; i++) made.push(await storage.alerts.create(input(carol, { maxPending: 3 })))
        await assert.rejects(storage.alerts.create(input(carol, { maxPending: 3 })), (error) => {
          isCode('conflict')(error)
          assert.match((error as Error).message, /3 pending alerts/)
          return true
        })
        assert.equal((await storage.alerts.listPending(carol)).length, 3, 'nothing stored past the limit')
        assert.equal(await storage.alerts.markTriggered(made[0]!.id, 5000), true)
        await storage.alerts.create(input(carol, { maxPending: 3 }))
        assert.equal((await storage.alerts.listPending(carol)).length, 3, 'a fired alert frees its place')

        const dave = (await newUser()).id
        const results = await Promise.allSettled(Array.from({ length: 8 }, () => storage.alerts.create(input(dave, { maxPending: 5 }))))
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 5, 'concurrent creates cannot overshoot')
        assert.equal((await storage.alerts.listPending(dave)).length, 5)
      })

      it('marks an alert triggered exactly once, and a triggered alert is no longer pending', async () => {
        const dave = (await newUser()).id
        const alert = await storage.alerts.create(input(dave))
        const results = await Promise.all([1, 2, 3].map(() => storage.alerts.markTriggered(alert.id, 3000)))
        assert.deepEqual(results.sort(), [false, false, true], 'only one caller wins')
        assert.deepEqual(await storage.alerts.listPending(dave), [])
        assert.ok(!(await storage.alerts.allPending()).some((a) => a.id === alert.id))
        assert.equal(await storage.alerts.markTriggered('no-such-id', 3000), false)
      })

      it('deletes only the owner\'s pending alert', async () => {
        const erin = (await newUser()).id
        const frank = (await newUser()).id
        const alert = await storage.alerts.create(input(erin))
        assert.equal(await storage.alerts.delete(alert.id, frank), false, 'someone else\'s alert is not found')
        assert.equal(await storage.alerts.delete(alert.id, erin), true)
        assert.equal(await storage.alerts.delete(alert.id, erin), false, 'deleting twice finds nothing')
        assert.equal(await storage.alerts.markTriggered(alert.id, 4000), false, 'a deleted alert never fires')
        const fired = await storage.alerts.create(input(erin))
        await storage.alerts.markTriggered(fired.id, 4000)
        assert.equal(await storage.alerts.delete(fired.id, erin), false, 'a fired alert is no longer pending')
      })

      it('loads every pending alert of every user', async () => {
        const a = (await newUser()).id
        const b = (await newUser()).id
        const kept = [await storage.alerts.create(input(a)), await storage.alerts.create(input(b, { direction: 'below', price: 10 }))]
        const gone = await storage.alerts.create(input(b))
        await storage.alerts.markTriggered(gone.id, 5000)
        const all = await storage.alerts.allPending()
        assert.deepEqual(all.map((x) => x.id).sort(), kept.map((x) => x.id).sort())
        assert.deepEqual(all.find((x) => x.userId === b), kept[1])
      })
    })

    describe('images', () => {
      /** Bytes of every value 0-255, so that no byte is changed on the way (a NUL, a high bit). */
      const bytes = Uint8Array.from({ length: 1024 }, (_, i) => (i * 7) % 256)
      const image = (roomId: string, uploaderId: string, over: Partial<{ now: number, maxPending: number, pendingAfter: number }> = {}) =>
        ({ roomId, uploaderId, mime: 'image/png' as const, width: 40, height: 30, bytes, now: 1000, maxPending: 10, pendingAfter: 0, ...over })

      it('stores an image unsent, gives back its bytes as they were, and tells whether a user is a member of its room', async () => {
        const alice = (await newUser()).id
        const bob = (await newUser()).id
        await storage.chat.addMember('general', alice, 0)
        const stored = await storage.images.create(image('general', alice))
        assert.deepEqual(stored, { id: stored.id, roomId: 'general', uploaderId: alice, mime: 'image/png', width: 40, height: 30, size: 1024, createdAt: 1000, messageId: null })
        assert.deepEqual(await storage.images.find(stored.id, alice), { ...stored, member: true })
        assert.deepEqual(await storage.images.find(stored.id, bob), { ...stored, member: false })
        assert.deepEqual(Buffer.from((await storage.images.bytes(stored.id))!), Buffer.from(bytes))
        assert.equal(await storage.images.find('nope', alice), null)
        assert.equal(await storage.images.bytes('nope'), null)
      })

      it('refuses an upload past maxPending unsent ones with conflict, counting only those after pendingAfter, even when sent at once', async () => {
        const carol = (await newUser()).id
        await storage.images.create(image('general', carol, { now: 500 }))
        const results = await Promise.allSettled(Array.from({ length: 6 }, () => storage.images.create(image('general', carol, { maxPending: 3, pendingAfter: 600 }))))
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3, 'concurrent uploads cannot overshoot')
        const refused = results.find((r) => r.status === 'rejected')
        assert.ok(refused && isCode('conflict')(refused.reason))
        assert.equal(await storage.images.deleteUnsent(Number.MAX_SAFE_INTEGER), 4, 'nothing stored past the limit')
      })

      it('puts an image in one new message of its uploader in its room, which carries it; refusals store nothing', async () => {
        const alice = (await newUser('alice')).id
        const bob = (await newUser()).id
        const { id } = await storage.images.create(image('general', alice))
        const send = (over: Partial<{ authorId: string, roomId: string, clientId: string, uploadedAfter: number }> = {}) => storage.chat.appendMessage({
          roomId: over.roomId ?? 'general', authorId: over.authorId ?? alice, text: '', clientId: over.clientId ?? 'img', now: 2000, image: { id, uploadedAfter: over.uploadedAfter ?? 0 }
        })
        await assert.rejects(send({ authorId: bob }), isCode('not_found'), 'someone else\'s upload')
        await assert.rejects(send({ roomId: 'random' }), isCode('not_found'), 'another room')
        await assert.rejects(send({ uploadedAfter: 1000 }), isCode('not_found'), 'expired')
        assert.equal((await storage.chat.getRoomAccess('general', alice))?.lastSeq, 0, 'no seq taken')
        const { message, created } = await send()
        assert.ok(created)
        const attached = { id, mime: 'image/png', width: 40, height: 30, size: 1024 }
        assert.deepEqual([message.seq, message.text, message.image], [1, '', attached])
        assert.deepEqual(await send(), { message, created: false }, 'the same clientId again: the same message')
        await assert.rejects(send({ clientId: 'again' }), isCode('conflict'), 'already in a message')
        assert.deepEqual((await storage.chat.getMessage(message.id))?.image, attached)
        assert.deepEqual((await storage.chat.messagesAfter('general', 0, 10)).messages.map((m) => m.image), [attached])
        assert.deepEqual((await storage.chat.messagesBefore('general', 10, 10)).messages.map((m) => m.image), [attached])
        assert.equal((await storage.images.find(id, alice))?.messageId, message.id)
        const plain = (await storage.chat.appendMessage({ roomId: 'general', authorId: alice, text: 'no image', clientId: 'plain', now: 3000 })).message
        assert.equal('image' in plain, false, 'a message without one has no image field')
        assert.equal(await storage.images.deleteUnsent(Number.MAX_SAFE_INTEGER), 0, 'a sent image is never purged')
        const deleted = await storage.chat.deleteMessage(message.id, 4000)
        assert.equal(deleted.image, undefined, 'a deleted message loses its image')
        assert.equal(await storage.images.bytes(id), null, 'and its bytes')
      })

      it('purges the unsent images uploaded up to a time, and says how many', async () => {
        const dave = (await newUser()).id
        const old = await storage.images.create(image('general', dave, { now: 100 }))
        const fresh = await storage.images.create(image('general', dave, { now: 200 }))
        assert.equal(await storage.images.deleteUnsent(100), 1)
        assert.equal(await storage.images.find(old.id, dave), null)
        assert.notEqual(await storage.images.find(fresh.id, dave), null)
      })
    })

    describe('avatars', () => {
      /** Bytes of every value 0-255, so that no byte is changed on the way (a NUL, a high bit). */
      const bytes = Uint8Array.from({ length: 512 }, (_, i) => (i * 11) % 256)
      const avatar = (userId: string, over: Partial<{ mime: 'image/png' | 'image/gif', width: number, bytes: Uint8Array, now: number }> = {}) =>
        ({ userId, mime: 'image/png' as const, width: 256, height: 256, bytes, now: 1000, ...over })

      it('stores a user\'s avatar, gives back its bytes as they were, and names it in the profile everywhere profiles are read', async () => {
        const alice = await newUser('alice')
        const stored = await storage.images.setAvatar(avatar(alice.id))
        assert.deepEqual(stored, { id: stored.id, userId: alice.id, mime: 'image/png', width: 256, height: 256, size: 512, createdAt: 1000 })
        assert.deepEqual(await storage.images.findAvatar(stored.id), stored)
        assert.deepEqual(Buffer.from((await storage.images.avatarBytes(stored.id))!), Buffer.from(bytes))
        const profile = { id: alice.id, username: 'alice', displayName: '', statusText: '', statusExpiresAt: null, timeZone: '', avatarId: stored.id }
        assert.deepEqual(await storage.users.profiles([alice.id]), [profile])
        assert.deepEqual(await storage.users.findPeople({ query: 'ali', limit: 5 }), [profile])
        assert.deepEqual(await storage.users.updateProfile(alice.id, { displayName: 'Al' }), { ...profile, displayName: 'Al' }, 'a profile change keeps it')
        assert.equal(await storage.images.findAvatar('nope'), null)
        assert.equal(await storage.images.avatarBytes('nope'), null)
      })

      it('replaces an avatar under a new id, the old one gone with its bytes; one user\'s never touches another\'s', async () => {
        const [alice, bob] = [await newUser(), await newUser()]
        const first = await storage.images.setAvatar(avatar(alice.id))
        const bobs = await storage.images.setAvatar(avatar(bob.id))
        const gif = Uint8Array.from([1, 2, 3])
        const second = await storage.images.setAvatar(avatar(alice.id, { mime: 'image/gif', width: 1, bytes: gif, now: 2000 }))
        assert.notEqual(second.id, first.id)
        assert.equal(await storage.images.findAvatar(first.id), null)
        assert.equal(await storage.images.avatarBytes(first.id), null)
        assert.deepEqual(await storage.images.findAvatar(second.id), { id: second.id, userId: alice.id, mime: 'image/gif', width: 1, height: 256, size: 3, createdAt: 2000 })
        assert.deepEqual(Buffer.from((await storage.images.avatarBytes(second.id))!), Buffer.from(gif))
        assert.deepEqual((await storage.users.profiles([alice.id]))[0]?.avatarId, second.id)
        assert.deepEqual(await storage.images.findAvatar(bobs.id), bobs, 'bob\'s stays')
      })

      it('keeps one avatar per user when replaced from several connections at once', async () => {
        const alice = await newUser()
        const results = await Promise.all(Array.from({ length: 6 }, (_, i) => storage.images.setAvatar(avatar(alice.id, { now: i }))))
        const kept = (await storage.users.profiles([alice.id]))[0]?.avatarId
        assert.equal(results.filter((result) => result.id === kept).length, 1, 'the profile names one of them')
        const found = await Promise.all(results.map((result) => storage.images.findAvatar(result.id)))
        assert.deepEqual(found.filter((record) => record !== null).map((record) => record!.id), [kept], 'the others are gone')
      })

      it('removes an avatar: the profile has none, and a second removal finds nothing', async () => {
        const alice = await newUser()
        const { id } = await storage.images.setAvatar(avatar(alice.id))
        assert.equal(await storage.images.removeAvatar(alice.id), true)
        assert.equal(await storage.images.findAvatar(id), null)
        assert.equal(await storage.images.avatarBytes(id), null)
        assert.equal('avatarId' in (await storage.users.profiles([alice.id]))[0]!, false)
        assert.equal(await storage.images.removeAvatar(alice.id), false)
      })
    })

    describe('alert kinds, fired alerts and re-arming', () => {
      it('stores a move\'s kind, percent and minutes, and keeps a fired alert with its time and price, newest first', async () => {
        const alice = (await newUser()).id
        const day = await storage.alerts.create({ userId: alice, symbol: 'QLFX', direction: 'below', price: 50, now: 1000, maxPending: 50, kind: 'day-move', pct: 2.5 })
        const window = await storage.alerts.create({ userId: alice, symbol: 'BKMW', direction: 'above', price: 40, now: 1001, maxPending: 50, kind: 'window-move', pct: 0.5, minutes: 15 })
        const cross = await storage.alerts.create({ userId: alice, symbol: 'QLFX', direction: 'above', price: 60, now: 1002, maxPending: 50 })
        assert.deepEqual(day, { id: day.id, userId: alice, symbol: 'QLFX', direction: 'below', price: 50, createdAt: 1000, kind: 'day-move', pct: 2.5 })
        assert.deepEqual(window, { id: window.id, userId: alice, symbol: 'BKMW', direction: 'above', price: 40, createdAt: 1001, kind: 'window-move', pct: 0.5, minutes: 15 })
        assert.deepEqual(await storage.alerts.listPending(alice), [day, window, cross])
        assert.deepEqual((await storage.alerts.allPending()).find((a) => a.id === window.id), window)
        assert.equal(await storage.alerts.markTriggered(day.id, 5000, 48.75), true)
        assert.equal(await storage.alerts.markTriggered(cross.id, 6000, 60.5), true)
        assert.deepEqual(await storage.alerts.listFired(alice, 10), [
          { ...cross, firedAt: 6000, firedPrice: 60.5 },
          { ...day, firedAt: 5000, firedPrice: 48.75 }
        ], 'the latest fired first')
        assert.deepEqual(await storage.alerts.listFired(alice, 1), [{ ...cross, firedAt: 6000, firedPrice: 60.5 }])
        assert.deepEqual(await storage.alerts.listPending(alice), [window])
      })

      it('re-arms the owner\'s fired alert from now (a move at the price given), within the pending limit', async () => {
        const bob = (await newUser()).id
        const carol = (await newUser()).id
        const move = await storage.alerts.create({ userId: bob, symbol: 'QLFX', direction: 'above', price: 50, now: 1000, maxPending: 2, kind: 'day-move', pct: 1 })
        const cross = await storage.alerts.create({ userId: bob, symbol: 'QLFX', direction: 'below', price: 45, now: 1000, maxPending: 2 })
        assert.equal(await storage.alerts.rearm({ id: move.id, userId: bob, now: 2000, priceOf: () => 51, maxPending: 2 }), null, 'a pending alert is not fired')
        await storage.alerts.markTriggered(move.id, 3000, 50.6)
        await storage.alerts.markTriggered(cross.id, 3000, 44)
        assert.equal(await storage.alerts.rearm({ id: move.id, userId: carol, now: 4000, priceOf: () => 51, maxPending: 2 }), null, 'someone else\'s')
        const again = await storage.alerts.rearm({ id: move.id, userId: bob, now: 4000, priceOf: (symbol) => symbol === 'QLFX' ? 51 : 0, maxPending: 2 })
        assert.deepEqual(again, { ...move, price: 51, createdAt: 4000 })
        const crossAgain = await storage.alerts.rearm({ id: cross.id, userId: bob, now: 4001, priceOf: () => 99, maxPending: 2 })
        assert.deepEqual(crossAgain, { ...cross, createdAt: 4001 }, 'a crossing keeps its threshold')
        assert.deepEqual(await storage.alerts.listFired(bob, 10), [])
        await storage.alerts.create({ userId: carol, symbol: 'QLFX', direction: 'below', price: 1, now: 1, maxPending: 1 })
        const full = await storage.alerts.create({ userId: carol, symbol: 'QLFX', direction: 'below', price: 2, now: 1, maxPending: 2 })
        await storage.alerts.markTriggered(full.id, 5, 1.5)
        await storage.alerts.create({ userId: carol, symbol: 'QLFX', direction: 'below', price: 3, now: 6, maxPending: 2 })
        await assert.rejects(storage.alerts.rearm({ id: full.id, userId: carol, now: 7, priceOf: () => 1, maxPending: 2 }), isCode('conflict'))
        assert.equal((await storage.alerts.listFired(carol, 10)).length, 1, 'a refused re-arm changes nothing')
      })

      it('deletes only the owner\'s fired alerts with deleteFired', async () => {
        const dave = (await newUser()).id
        const erin = (await newUser()).id
        const alert = await storage.alerts.create({ userId: dave, symbol: 'QLFX', direction: 'above', price: 1, now: 1, maxPending: 5 })
        assert.equal(await storage.alerts.deleteFired(alert.id, dave), false, 'a pending alert is not fired')
        await storage.alerts.markTriggered(alert.id, 2, 1.1)
        assert.equal(await storage.alerts.deleteFired(alert.id, erin), false)
        assert.equal(await storage.alerts.deleteFired(alert.id, dave), true)
        assert.deepEqual(await storage.alerts.listFired(dave, 10), [])
      })
    })

    describe('watchlists', () => {
      it('creates lists in order with version 1, each change taking the user\'s next rev', async () => {
        const alice = (await newUser()).id
        const bob = (await newUser()).id
        assert.deepEqual(await storage.watchlists.list(alice), { lists: [], rev: 0 })
        const tech = await storage.watchlists.create({ userId: alice, name: 'Tech', symbols: ['QLFX', 'QSH.A'], now: 1, maxLists: 3 })
        const water = await storage.watchlists.create({ userId: alice, name: 'Water 💧', symbols: [], now: 2, maxLists: 3 })
        await storage.watchlists.create({ userId: bob, name: 'Bob', symbols: ['BKMW'], now: 3, maxLists: 3 })
        assert.deepEqual(tech, { list: { id: tech.list.id, name: 'Tech', symbols: ['QLFX', 'QSH.A'], version: 1 }, rev: 1 })
        assert.equal(water.rev, 2)
        assert.deepEqual(await storage.watchlists.list(alice), { lists: [tech.list, water.list], rev: 2 })
        assert.deepEqual((await storage.watchlists.list(bob)).lists.map((l) => l.name), ['Bob'])
      })

      it('refuses a list past the limit with conflict, even when sent at once', async () => {
        const carol = (await newUser()).id
        const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => storage.watchlists.create({ userId: carol, name: `L${i}`, symbols: [], now: i, maxLists: 4 })))
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 4)
        for (const r of results) if (r.status === 'rejected') isCode('conflict')(r.reason)
        const { lists, rev } = await storage.watchlists.list(carol)
        assert.equal(lists.length, 4)
        assert.equal(rev, 4)
      })

      it('updates a list on its current version only: a stale version is conflict and changes nothing', async () => {
        const dave = (await newUser()).id
        const erin = (await newUser()).id
        const { list } = await storage.watchlists.create({ userId: dave, name: 'Mine', symbols: ['QLFX'], now: 1, maxLists: 5 })
        const renamed = await storage.watchlists.update({ userId: dave, id: list.id, version: 1, name: 'Renamed' })
        assert.deepEqual(renamed, { list: { ...list, name: 'Renamed', version: 2 }, rev: 2 })
        const reordered = await storage.watchlists.update({ userId: dave, id: list.id, version: 2, symbols: ['BKMW', 'QLFX'] })
        assert.deepEqual(reordered.list, { ...list, name: 'Renamed', symbols: ['BKMW', 'QLFX'], version: 3 })
        await assert.rejects(storage.watchlists.update({ userId: dave, id: list.id, version: 2, symbols: [] }), isCode('conflict'))
        await assert.rejects(storage.watchlists.update({ userId: erin, id: list.id, version: 3, symbols: [] }), isCode('not_found'))
        const results = await Promise.allSettled([1, 2, 3].map((i) => storage.watchlists.update({ userId: dave, id: list.id, version: 3, symbols: [`S${i}`] })))
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'of three writes on one version, one wins')
        assert.deepEqual(await storage.watchlists.list(dave), { lists: [{ ...reordered.list, symbols: (await storage.watchlists.list(dave)).lists[0]!.symbols, version: 4 }], rev: 4 })
      })

      it('moves and deletes lists, keeping the order; someone else\'s list is not found', async () => {
        const frank = (await newUser()).id
        const gina = (await newUser()).id
        const ids = []
        for (const name of ['A', 'B', 'C']) ids.push((await storage.watchlists.create({ userId: frank, name, symbols: [], now: 1, maxLists: 5 })).list.id)
        const names = async () => (await storage.watchlists.list(frank)).lists.map((l) => l.name)
        assert.equal(await storage.watchlists.move(frank, ids[2]!, 0), 4)
        assert.deepEqual(await names(), ['C', 'A', 'B'])
        assert.equal(await storage.watchlists.move(frank, ids[2]!, 19), 5)
        assert.deepEqual(await names(), ['A', 'B', 'C'], 'past the end is last')
        assert.equal(await storage.watchlists.move(gina, ids[0]!, 1), null)
        assert.equal(await storage.watchlists.delete(gina, ids[0]!), null)
        assert.equal(await storage.watchlists.delete(frank, ids[1]!), 6)
        assert.deepEqual(await names(), ['A', 'C'])
        assert.equal(await storage.watchlists.move(frank, ids[2]!, 0), 7)
        assert.deepEqual(await names(), ['C', 'A'])
        assert.equal((await storage.watchlists.list(frank)).rev, 7)
      })

      it('merges symbols into the first list (made when none), once: the same merge again changes nothing', async () => {
        const hank = (await newUser()).id
        const first = await storage.watchlists.merge({ userId: hank, name: 'Watchlist', symbols: ['QLFX', 'BKMW', 'QLFX'], now: 1, maxSymbols: 3 })
        assert.deepEqual(first, { list: { id: first.list.id, name: 'Watchlist', symbols: ['QLFX', 'BKMW'], version: 1 }, rev: 1 })
        const again = await storage.watchlists.merge({ userId: hank, name: 'Watchlist', symbols: ['BKMW', 'QLFX'], now: 2, maxSymbols: 3 })
        assert.deepEqual(again, first, 'nothing new: no version, no rev')
        const more = await storage.watchlists.merge({ userId: hank, name: 'ignored', symbols: ['ZPHR', 'CLDV', 'BKMW'], now: 3, maxSymbols: 3 })
        assert.deepEqual(more, { list: { ...first.list, symbols: ['QLFX', 'BKMW', 'ZPHR'], version: 2 }, rev: 2 }, 'capped at maxSymbols')
        const both = await Promise.all([1, 2].map(() => storage.watchlists.merge({ userId: (hank), name: 'x', symbols: ['QLFX'], now: 4, maxSymbols: 3 })))
        assert.deepEqual(both.map((b) => b.rev), [2, 2])
      })
    })

    describe('ping and close', () => {
      it('answers ping while open; after close ping fails, and close may be called twice', async () => {
        await storage.ping()
        await storage.close()
        await assert.rejects(storage.ping())
        await storage.close()
      })
    })

    describe('several processes at once', () => {
      type Appended = { appended: { id: string, seq: number, clientId: string, created: boolean }[] }

      it('gives 4 processes sending 500 messages each to one room the seqs 1..2000, no gap, no duplicate', async () => {
        const authors = []
        for (let i = 0; i < 4; i++) authors.push((await newUser(`writer${i}`)).id)
        const results = await runWorkers<Appended>(db.url, authors.map((authorId, i) => ({
          task: 'append', roomId: 'general', authorId, count: 500, clientPrefix: `w${i}`
        })))
        const seqs = results.flatMap((r) => r.appended.map((m) => m.seq)).sort((a, b) => a - b)
        assert.equal(seqs.length, 2000)
        const wrong = seqs.filter((seq, i) => seq !== i + 1)
        assert.equal(wrong.length, 0, `expected seqs 1..2000; first out of place: ${wrong.slice(0, 5).join(', ')}`)
        const stored = await storage.chat.messagesAfter('general', 0, 5000)
        assert.deepEqual(stored.messages.map((m) => m.seq), Array.from({ length: 2000 }, (_, i) => i + 1), 'the database holds the same 2000')
        assert.equal((await storage.chat.getRoomAccess('general', authors[0]!))?.lastSeq, 2000)
      })

      it('stores one message when two processes send the same (author, clientId) at once, even to two rooms', async () => {
        const author = (await newUser('twice')).id
        // To one room the room's lock orders them; to two rooms only the unique (author, clientId) does.
        const [a, b] = await runWorkers<Appended>(db.url, ['random', 'markets'].map((roomId) => ({
          task: 'append', roomId, authorId: author, count: 200, clientPrefix: 'same'
        })))
        for (let i = 0; i < 200; i++) {
          const [x, y] = [a!.appended[i]!, b!.appended[i]!]
          assert.equal(x.id, y.id, `both processes get the one message of ${x.clientId}`)
          assert.deepEqual([x.created, y.created].sort(), [false, true], `${x.clientId} was created once`)
        }
        let total = 0
        for (const room of ['random', 'markets']) {
          const seqs = (await storage.chat.messagesAfter(room, 0, 1000)).messages.map((m) => m.seq)
          assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), `${room}: seqs without gaps`)
          total += seqs.length
        }
        assert.equal(total, 200, 'one row per clientId')
      })
    })
  })
}
