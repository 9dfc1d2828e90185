import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { copyDatabase, type CopyProgress } from '../../../server/storage/copy-database.ts'
import { startApp } from '../../helpers/app.ts'
import { api, registerUser } from '../../helpers/http.ts'
import { pngBytes } from '../../helpers/images.ts'
import { createTestSchema, postgresSkipReason, type TestSchema } from '../../helpers/postgres.ts'
import { connect, send } from '../../helpers/sockets.ts'

const skip = await postgresSkipReason()
const repoRoot = resolve(import.meta.dirname, '..', '..', '..')
const roomy = { burst: 10_000, perSecond: 10_000 }

/** What a user sees of the installation, read through the app: the copy must look the same. */
async function observe (url: string, who: { username: string, password: string }, roomIds: string[]) {
  const login = await api(url, 'POST', '/api/auth/login', { body: { username: who.username, password: who.password } })
  assert.equal(login.status, 200, `sign-in with the copied password hash: ${JSON.stringify(login.body)}`)
  const token = login.body.token as string
  const chat = await connect(url, '/chat', { token })
  const ticker = await connect(url, '/ticker', { token })
  try {
    const rooms = (await api(url, 'GET', '/api/rooms', { token })).body.rooms as { id: string }[]
    const joins = []
    for (const roomId of roomIds) joins.push(await send(chat, 'chat:join', { roomId, since: 0 }))
    return {
      rooms: rooms.map((room) => JSON.stringify(room)).sort(),
      messages: joins.map((join) => join.ok ? join.data.messages : join),
      notifications: (await api(url, 'GET', '/api/notifications?limit=100', { token })).body,
      alerts: await send(ticker, 'ticker:alert-list', {}),
      token
    }
  } finally {
    chat.close()
    ticker.close()
  }
}

describe('npm run db:copy (SQLite to PostgreSQL)', { skip }, () => {
  let dir: string
  let file: string
  let schema: TestSchema
  let before_: Awaited<ReturnType<typeof observe>>[]
  const people: { username: string, password: string }[] = []
  const roomIds: string[] = []
  const imageBytes = pngBytes(4, 4, { pad: 300 })
  imageBytes.set(Uint8Array.from({ length: 256 }, (_, i) => i), 41)
  let copiedImage = ''
  const avatarBytes = pngBytes(2, 2, { pad: 256 })
  avatarBytes.set(Uint8Array.from({ length: 256 }, (_, i) => 255 - i), 41)
  let copiedAvatar = ''
  let aliceId = ''

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hubbub-copy-'))
    file = join(dir, 'hubbub.db')
    // An installation filled through the real app: accounts, rooms, members, messages (edited,
    // deleted, reacted to), read markers, mentions and invites in the inbox, one read, price alerts.
    const source = await startApp({ env: { DATABASE_URL: `sqlite:${file}` }, limits: { chatSend: roomy, commandsPerSocket: roomy, commandsPerUser: roomy } })
    try {
      const [alice, bob] = [await registerUser(source.url), await registerUser(source.url)]
      people.push({ username: alice.user.username, password: alice.password }, { username: bob.user.username, password: bob.password })
      const privateRoom = (await api(source.url, 'POST', '/api/rooms', { token: alice.token, body: { name: 'plans', visibility: 'private' } })).body.room.id
      await api(source.url, 'POST', `/api/rooms/${privateRoom}/members`, { token: alice.token, body: { username: bob.user.username } })
      const direct = (await api(source.url, 'POST', '/api/dms', { token: alice.token, body: { username: bob.user.username } })).body.room.id
      roomIds.push('general', privateRoom, direct)
      const a = await connect(source.url, '/chat', { token: alice.token })
      const b = await connect(source.url, '/chat', { token: bob.token })
      const ticker = await connect(source.url, '/ticker', { token: bob.token })
      try {
        for (const roomId of roomIds) assert.ok((await send(b, 'chat:join', { roomId })).ok)
        let last: any
        for (let i = 0; i < 1500; i++) {
          const roomId = roomIds[i % 3]!
          last = await send(a, 'chat:send', { roomId, text: i % 100 === 0 ? `@${bob.user.username} look ${i}` : `message ${i}`, clientId: `copy-${i}-${process.pid}` })
          assert.ok(last.ok, JSON.stringify(last))
        }
        const [first] = (await send(a, 'chat:history', { roomId: 'general', limit: 3 }) as any).data.messages
        assert.ok((await send(a, 'chat:edit', { messageId: first.id, text: 'edited' })).ok)
        // Reactions, in an order the copy keeps: bob's 👍 first, so 👍 before 🎉, bob before alice.
        for (const [socket, emoji] of [[b, '👍'], [a, '🎉'], [a, '👍']] as const) assert.ok((await send(socket, 'chat:react', { messageId: first.id, emoji })).ok)
        assert.ok((await send(a, 'chat:delete', { messageId: last.data.message.id })).ok)
        // An image in a message, whose bytes (every value 0-255 among them) must arrive unchanged.
        const uploaded = await fetch(`${source.url}/api/rooms/general/images`, {
          method: 'POST', headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'image/png' }, body: new Uint8Array(imageBytes)
        })
        assert.equal(uploaded.status, 201)
        const { imageId } = await uploaded.json() as { imageId: string }
        assert.ok((await send(a, 'chat:send', { roomId: 'general', text: '', clientId: `copy-image-${process.pid}`, imageId })).ok)
        copiedImage = imageId
        // An avatar, whose bytes must arrive unchanged too, still named by the profile.
        const avatar = await fetch(`${source.url}/api/profile/avatar`, {
          method: 'PUT', headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'image/png' }, body: new Uint8Array(avatarBytes)
        })
        assert.equal(avatar.status, 200)
        copiedAvatar = ((await avatar.json()) as { profile: { avatarId: string } }).profile.avatarId
        aliceId = alice.user.id
        assert.ok((await send(b, 'chat:read', { roomId: 'general', seq: 100 })).ok)
        for (const price of [1, 999_999]) assert.ok((await send(ticker, 'ticker:alert-create', { symbol: 'QLFX', direction: price === 1 ? 'below' : 'above', price })).ok)
        const inbox = await api(source.url, 'GET', '/api/notifications?limit=1', { token: bob.token })
        const n = await connect(source.url, '/notifications', { token: bob.token })
        assert.ok((await send(n, 'notification:mark-read', { ids: [inbox.body.notifications[0].id] })).ok)
        n.close()
      } finally {
        a.close()
        b.close()
        ticker.close()
      }
      before_ = [await observe(source.url, people[0]!, roomIds), await observe(source.url, people[1]!, roomIds)]
    } finally {
      await source.close()
    }
    schema = await createTestSchema()
  })
  after(async () => {
    await schema?.drop()
    rmSync(dir, { recursive: true, force: true })
  })

  const dbCopy = (...args: string[]) => spawnSync(process.execPath, ['server/db-copy.ts', ...args], { cwd: repoRoot, encoding: 'utf8' })

  it('copies everything, shows progress, and ends with equal row counts per table', () => {
    const run = dbCopy('--from', `sqlite:${file}`, '--to', schema.url)
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`)
    assert.match(run.stdout, /^ {2}messages: 1,501 of 1,501$/m)
    for (const table of ['users', 'avatars', 'sessions', 'rooms', 'room_members', 'messages', 'message_reactions', 'thread_follows', 'images', 'notifications', 'notification_room_prefs', 'notification_settings', 'alerts', 'watchlists', 'watchlist_revs']) {
      assert.match(run.stdout, new RegExp(`^${table} +(\\d+) +\\1$`, 'm'), `${table} counted on both sides:\n${run.stdout}`)
    }
    assert.match(run.stdout, /Every table has the same number of rows on both sides\./)
  })

  it('serves the same accounts, rooms, messages, read markers, inbox and alerts on PostgreSQL', async () => {
    const copy = await startApp({ env: { DATABASE_URL: schema.url } })
    try {
      for (const [i, person] of people.entries()) {
        const seen = await observe(copy.url, person, roomIds)
        assert.deepEqual(seen.rooms, before_[i]!.rooms, 'rooms with their counts and unread')
        const reacted = before_[i]!.messages.flat().find((message: any) => message.reactions?.length > 0)
        assert.deepEqual(reacted?.reactions.map((r: any) => [r.emoji, r.count]), [['👍', 2], ['🎉', 1]], 'the source had the reactions')
        assert.deepEqual(seen.messages, before_[i]!.messages, 'every message with its seq, edit, deletion and reactions')
        assert.deepEqual(seen.notifications, before_[i]!.notifications, 'the inbox and its read state')
        assert.deepEqual(seen.alerts, before_[i]!.alerts, 'pending price alerts')
      }
      const alice = await observe(copy.url, people[0]!, [])
      const image = await fetch(`${copy.url}/api/images/${copiedImage}`, { headers: { authorization: `Bearer ${alice.token}` } })
      assert.equal(image.status, 200)
      assert.deepEqual(Buffer.from(await image.arrayBuffer()), imageBytes, 'the image\'s bytes, unchanged')
      const profiles = await api(copy.url, 'POST', '/api/people/profiles', { token: alice.token, body: { userIds: [aliceId] } })
      assert.equal(profiles.body.profiles[0].avatarId, copiedAvatar, 'the profile names the copied avatar')
      const avatar = await fetch(`${copy.url}/api/avatars/${copiedAvatar}`, { headers: { authorization: `Bearer ${alice.token}` } })
      assert.equal(avatar.status, 200)
      assert.deepEqual(Buffer.from(await avatar.arrayBuffer()), avatarBytes, 'the avatar\'s bytes, unchanged')
      // New rows go on from the copied ones: the next seq, and notifications after the copied ones.
      const a = await connect(copy.url, '/chat', { token: alice.token })
      try {
        const sent = await send(a, 'chat:send', { roomId: 'general', text: `@${people[1]!.username} after the move`, clientId: `after-move-${process.pid}` })
        assert.ok(sent.ok, JSON.stringify(sent))
        assert.equal(sent.data.message.seq, 502, 'the room numbers on from its last copied seq (500 and the image\'s)')
      } finally {
        a.close()
      }
      const bob = await observe(copy.url, people[1]!, [])
      const newest = (await api(copy.url, 'GET', '/api/notifications?limit=1', { token: bob.token })).body.notifications[0]
      assert.match(newest.body, /after the move/, 'a new notification comes first, after the copied ones')
    } finally {
      await copy.close()
    }
  })

  it('refuses a target that already holds data, and replaces it when told to', async () => {
    const again = dbCopy('--from', `sqlite:${file}`, '--to', schema.url)
    assert.equal(again.status, 1, again.stdout)
    assert.match(again.stderr, /already holds \d+ rows\. Give --replace to empty it first\./)
    assert.doesNotMatch(again.stderr, /\n.*\n/, 'one line')
    const progress: CopyProgress[] = []
    const counts = await copyDatabase({ from: `sqlite:${file}`, to: schema.url, replace: true, onProgress: (p) => progress.push(p) })
    assert.deepEqual(counts.filter((count) => count.source !== count.target), [])
    assert.ok(progress.some((p) => p.table === 'messages' && p.copied === 1000 && p.total === 1501), 'progress in pages')
  })

  it('says what is wrong with its arguments', () => {
    assert.equal(dbCopy().status, 2)
    const wrong = dbCopy('--from', schema.url, '--to', `sqlite:${file}`)
    assert.equal(wrong.status, 1)
    assert.match(wrong.stderr, /--from must be a sqlite:<file> URL/)
    const missing = dbCopy('--from', `sqlite:${join(dir, 'nothing.db')}`, '--to', schema.url)
    assert.match(missing.stderr, /There is no SQLite file at/)
  })
})
