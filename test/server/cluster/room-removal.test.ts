import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import { api, registerUser } from '../../helpers/http.ts'
import { nodesSkipReason, startNodes, type TestNodes } from '../../helpers/nodes.ts'
import { assertNothing, connect, nextEvent, send } from '../../helpers/sockets.ts'

type Registered = Awaited<ReturnType<typeof registerUser>>

const skip = await nodesSkipReason()

describe('removing a member on two nodes', { skip }, () => {
  let cluster: TestNodes
  let alice: Registered
  let bob: Registered
  let carol: Registered
  const sockets: Socket[] = []
  /** A /chat socket of `who` on node `n` (1 or 2), following the room. */
  const following = async (n: number, who: Registered, roomId: string) => {
    const socket = await connect(cluster.nodes[n - 1]!.url, '/chat', { token: who.token })
    sockets.push(socket)
    const joined = await send(socket, 'chat:join', { roomId })
    assert.ok(joined.ok, JSON.stringify(joined))
    return socket
  }

  before(async () => {
    cluster = await startNodes(2)
    const [one, two] = cluster.nodes
    ;[alice, bob, carol] = await Promise.all([registerUser(one!.url, 'alice'), registerUser(two!.url, 'bob'), registerUser(two!.url, 'carol')])
  })
  after(async () => {
    for (const socket of sockets) socket.close()
    await cluster?.close()
  })

  it('takes every socket of the removed member out of the room at once, on both nodes, and shows them offline', async () => {
    const created = await api(cluster.nodes[0]!.url, 'POST', '/api/rooms', { token: alice.token, body: { name: 'crew', visibility: 'public' } })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const roomId = created.body.room.id as string
    const a = await following(1, alice, roomId)
    const bobHere = await following(1, bob, roomId)
    const bobThere = await following(2, bob, roomId)
    const c = await following(2, carol, roomId)

    const told = [nextEvent(bobHere, 'chat:member-left'), nextEvent(bobThere, 'chat:member-left'), nextEvent(c, 'chat:member-left')]
    const offline = nextEvent(a, 'chat:presence')
    const removed = await send(a, 'chat:member-remove', { roomId, userId: bob.user.id })
    assert.ok(removed.ok, JSON.stringify(removed))
    for (const left of await Promise.all(told)) assert.deepEqual(left, { roomId, user: bob.user, by: alice.user })
    assert.deepEqual(await offline, { roomId, user: bob.user, online: false }, 'bob\'s last socket left, on whichever node')

    const toCarol = nextEvent(c, 'chat:message')
    const sent = await send(a, 'chat:send', { roomId, text: 'bob is gone', clientId: `removal-${process.pid}` })
    assert.ok(sent.ok, JSON.stringify(sent))
    // Carol, on bob's node 2, has it: node 2 has handled the broadcast, and bob's sockets were not in the room.
    assert.equal((await toCarol).message.text, 'bob is gone')
    await assertNothing(bobThere, 'chat:message', ['chat:leave', { roomId: 'no-such-room' }])
    await assertNothing(bobHere, 'chat:message', ['chat:leave', { roomId: 'no-such-room' }])
  })
})
