import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import { startAppProcess } from '../../helpers/app-process.ts'
import { api, registerUser } from '../../helpers/http.ts'
import { nodesSkipReason, startNodes, type TestNodes } from '../../helpers/nodes.ts'
import { redisTestUrl } from '../../helpers/redis.ts'
import { connect, nextEvent, send } from '../../helpers/sockets.ts'

// Heartbeats every 100 ms that expire after 600 ms: a dead node is swept within a second, not 25 s.
const presenceHeartbeat = { everyMs: 100, expiryMs: 600 }

const skip = await nodesSkipReason()

describe('a node that dies without closing', { skip }, () => {
  let cluster: TestNodes
  let doomed: Awaited<ReturnType<typeof startAppProcess>> | undefined
  const sockets: Socket[] = []

  before(async () => {
    cluster = await startNodes(1, { presenceHeartbeat })
    doomed = await startAppProcess({
      env: { DATABASE_URL: cluster.schemaUrl, REDIS_URL: redisTestUrl, REDIS_PREFIX: cluster.prefix, NODE_NAME: 'doomed' },
      overrides: { presenceHeartbeat }
    })
  })
  after(async () => {
    for (const socket of sockets) socket.close()
    await doomed?.close()
    await cluster?.close()
  })

  it('takes its users offline on the other nodes once its heartbeat expires', async () => {
    const survivor = cluster.nodes[0]!.url
    const [alice, bob] = await Promise.all([registerUser(survivor, 'alice'), registerUser(doomed!.url, 'bob')])
    const created = await api(survivor, 'POST', '/api/rooms', { token: alice.token, body: { name: 'lifeboat', visibility: 'public' } })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const roomId = created.body.room.id as string
    const onlineNow = async () => {
      const res = await api(survivor, 'GET', `/api/rooms/${roomId}/members`, { token: alice.token })
      return res.body.members.filter((member: { online: boolean }) => member.online).map((member: { username: string }) => member.username).sort()
    }
    const a = await connect(survivor, '/chat', { token: alice.token })
    const b = await connect(doomed!.url, '/chat', { token: bob.token })
    sockets.push(a, b)
    assert.ok((await send(a, 'chat:join', { roomId })).ok)
    const arrived = nextEvent(a, 'chat:presence')
    assert.ok((await send(b, 'chat:join', { roomId })).ok)
    assert.deepEqual(await arrived, { roomId, user: bob.user, online: true })
    assert.deepEqual(await onlineNow(), ['alice', 'bob'])

    const gone = nextEvent(a, 'chat:presence', 10_000)
    await doomed!.kill()
    assert.deepEqual(await gone, { roomId, user: bob.user, online: false })
    assert.deepEqual(await onlineNow(), ['alice'])
    const listed = await api(survivor, 'GET', '/api/rooms', { token: alice.token })
    assert.equal(listed.body.rooms.find((room: { id: string }) => room.id === roomId).onlineCount, 1)
  })
})
