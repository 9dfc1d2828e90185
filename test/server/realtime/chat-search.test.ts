import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import type { SearchPage } from '../../../shared/chat.ts'
import { Limits } from '../../../shared/limits.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, registerUser } from '../../helpers/http.ts'
import { send, socketsAs } from '../../helpers/sockets.ts'

type Registered = Awaited<ReturnType<typeof registerUser>>

describe('chat:search', () => {
  let t: TestApp
  let alice: Registered
  let bob: Registered
  let carol: Registered
  const chatSockets = socketsAs(() => t.url, '/chat')
  const chatAs = chatSockets.as
  let sent = 0
  const post = async (socket: Socket, roomId: string, text: string) => {
    const res = await send(socket, 'chat:send', { roomId, text, clientId: `search-${++sent}` })
    assert.ok(res.ok, JSON.stringify(res))
  }
  const search = async (socket: Socket, query: string, more: { cursor?: string, limit?: number } = {}) => {
    const res = await send<SearchPage>(socket, 'chat:search', { query, ...more })
    assert.ok(res.ok, `${query}: ${JSON.stringify(res)}`)
    return res.data
  }
  const texts = (page: SearchPage) => page.hits.map((hit) => hit.message.text)

  before(async () => {
    t = await startApp()
    ;[alice, bob, carol] = await Promise.all([registerUser(t.url, 'alice'), registerUser(t.url, 'bob'), registerUser(t.url, 'carol')])
  })
  after(async () => {
    chatSockets.closeAll()
    await t.close()
  })

  it('finds only what the searcher may read: a private room and a direct room are their members\' alone', async () => {
    const [a, b, c] = [await chatAs(alice), await chatAs(bob), await chatAs(carol)]
    const created = await api(t.url, 'POST', '/api/rooms', { token: alice.token, body: { name: 'plans', visibility: 'private' } })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const direct = await api(t.url, 'POST', '/api/dms', { token: alice.token, body: { username: 'bob' } })
    assert.ok(direct.status === 201 || direct.status === 200, JSON.stringify(direct.body))
    await post(a, created.body.room.id, 'the quokka plan is secret')
    await post(a, direct.body.room.id, 'a quokka just for bob')
    await post(a, 'general', 'quokkas for everyone')

    assert.deepEqual(texts(await search(c, 'quokka')), ['quokkas for everyone'], 'carol: the public room only')
    const bobs = await search(b, 'quokka')
    assert.deepEqual(texts(bobs), ['quokkas for everyone', 'a quokka just for bob'])
    assert.deepEqual(bobs.hits[1]!.room, { id: direct.body.room.id, name: 'alice', visibility: 'direct' }, 'a direct room is named after the other person')
    assert.deepEqual(texts(await search(a, 'QUOKKA')), ['quokkas for everyone', 'a quokka just for bob', 'the quokka plan is secret'])
    assert.deepEqual(texts(await search(c, 'quokka in:plans')), [], 'naming a private room does not open it')
  })

  /** Each test searches as a user of its own: searches are limited per user. */
  const searcher = async (name: string) => chatAs(await registerUser(t.url, name))

  it('applies the filters of the query: in:, from:, has:link, before: and after:', async () => {
    const [a, b] = [await chatAs(alice), await chatAs(bob)]
    const s = await searcher('filterer')
    await post(a, 'random', 'walrus facts https://example.com/walrus')
    await post(b, 'random', 'walrus opinions')
    await post(b, 'markets', 'walrus index up')
    assert.deepEqual(texts(await search(s, 'walrus in:#random')), ['walrus opinions', 'walrus facts https://example.com/walrus'])
    assert.deepEqual(texts(await search(s, 'walrus from:@BOB')), ['walrus index up', 'walrus opinions'])
    assert.deepEqual(texts(await search(s, 'walrus has:link')), ['walrus facts https://example.com/walrus'])
    assert.deepEqual(texts(await search(s, 'walrus before:2000-01-01')), [])
    assert.deepEqual(texts(await search(s, 'walrus in:markets after:2000-01-01')), ['walrus index up'])
  })

  it('pages newest first through nextCursor', async () => {
    const a = await chatAs(alice)
    for (let i = 1; i <= 5; i++) await post(a, 'general', `narwhal ${i}`)
    const s = await searcher('pager')
    const first = await search(s, 'narwhal', { limit: 2 })
    const second = await search(s, 'narwhal', { limit: 2, cursor: first.nextCursor! })
    const third = await search(s, 'narwhal', { limit: 2, cursor: second.nextCursor! })
    assert.deepEqual([texts(first), texts(second), texts(third), third.nextCursor], [['narwhal 5', 'narwhal 4'], ['narwhal 3', 'narwhal 2'], ['narwhal 1'], null])
  })

  it('refuses a query it cannot run, and a foreign cursor, with invalid_payload naming the problem', async () => {
    const a = await searcher('mistyper')
    for (const [payload, says] of [
      [{ query: 'walrus before:yesterday' }, /before: a day as YYYY-MM-DD/],
      [{ query: 'before:2026-02-30 walrus' }, /before: a day/],
      [{ query: '?!' }, /a word to look for, or a filter/],
      [{ query: 'a b c d e f g h i' }, /at most 8 words/],
      [{ query: 'walrus', cursor: 'not-a-cursor!' }, /cursor/],
      [{ query: '' }, /query/],
      [{ query: 'x'.repeat(201) }, /query/],
      [{ query: 'walrus', limit: 51 }, /limit/],
      [{ query: 'walrus', extra: 1 }, /extra|additional/]
    ] as const) {
      const res = await send(a, 'chat:search', payload)
      assert.ok(!res.ok && res.error.code === 'invalid_payload', `${JSON.stringify(payload)}: ${JSON.stringify(res)}`)
      assert.match(res.error.message, says, JSON.stringify(payload))
    }
  })

  it('limits searches per user across their sockets, answering rate_limited with a wait', async () => {
    const fresh = await registerUser(t.url, 'hurried')
    const [one, two] = [await chatAs(fresh), await chatAs(fresh)]
    const { burst } = Limits.chatSearch
    const answers = await Promise.all(Array.from({ length: burst + 1 }, (_, i) => send(i % 2 === 0 ? one : two, 'chat:search', { query: 'walrus' })))
    const refused = answers.filter((res) => !res.ok)
    assert.equal(refused.length, 1, `one of ${burst + 1} refused: ${JSON.stringify(refused)}`)
    const [res] = refused
    assert.ok(!res!.ok && res!.error.code === 'rate_limited' && (res!.error.retryAfterMs ?? 0) > 0, JSON.stringify(res))
  })
})
