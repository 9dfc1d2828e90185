import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import { Limits } from '../../../shared/limits.ts'
import type { AwaySummary } from '../../../shared/notifications.ts'
import { registerUser } from '../../helpers/http.ts'
import { nodesSkipReason, startNodes, type TestNodes } from '../../helpers/nodes.ts'
import { connect, send } from '../../helpers/sockets.ts'

type Registered = Awaited<ReturnType<typeof registerUser>>

const skip = await nodesSkipReason()

describe('away:summary on two nodes', { skip }, () => {
  let cluster: TestNodes
  const sockets: Socket[] = []
  /** A socket of `who` on node `n` (1 or 2). */
  const on = async (n: number, namespace: string, who: Registered) => {
    const socket = await connect(cluster.nodes[n - 1]!.url, namespace, { token: who.token })
    sockets.push(socket)
    return socket
  }

  before(async () => { cluster = await startNodes(2) })
  after(async () => {
    for (const socket of sockets) socket.close()
    await cluster?.close()
  })

  it('answers the same on either node from the shared database, and one budget counts asks on both', async () => {
    const [one, two] = cluster.nodes
    const [alice, bob] = await Promise.all([registerUser(one!.url, 'away_alice'), registerUser(two!.url, 'away_bob')])
    const [aliceChat, bobChat, bobTicker] = await Promise.all([on(1, '/chat', alice), on(2, '/chat', bob), on(2, '/ticker', bob)])
    for (const socket of [aliceChat, bobChat]) assert.ok((await send(socket, 'chat:join', { roomId: 'general' })).ok)
    assert.ok((await send(bobTicker, 'ticker:watchlist-create', { name: 'Mine', symbols: ['QLFX', 'NBLM'] })).ok)
    bobChat.close()

    const since = Date.now()
    const inbox2 = await on(2, '/notifications', bob)
    const mentioned = new Promise((resolve) => inbox2.once('notification:new', resolve))
    const sent = await send(aliceChat, 'chat:send', { roomId: 'general', text: '@away_bob the other node says hi', clientId: `away-cluster-${process.pid}` })
    assert.ok(sent.ok, JSON.stringify(sent))
    await mentioned

    const inbox1 = await on(1, '/notifications', bob)
    const answers = await Promise.all([inbox1, inbox2].map((socket) => send<AwaySummary>(socket, 'away:summary', { since })))
    for (const [index, answer] of answers.entries()) {
      const node = `node ${index + 1}`
      assert.ok(answer.ok, `${node}: ${JSON.stringify(answer)}`)
      const summary: AwaySummary = answer.data
      const general = summary.rooms.find((room) => room.roomId === 'general')
      assert.deepEqual(general && { seq: general.firstUnreadSeq, text: general.first?.text }, { seq: sent.data.message.seq, text: '@away_bob the other node says hi' }, node)
      assert.deepEqual(summary.mentions.map((n) => [n.kind, n.roomId, n.actor]), [['mention', 'general', 'away_alice']], node)
      assert.deepEqual(summary.movers.map((m) => m.symbol).sort(), ['NBLM', 'QLFX'], `${node}: the movers from its own market replica`)
      for (const mover of summary.movers) assert.ok(mover.from > 0 && mover.to > 0, JSON.stringify(mover))
    }

    // Two asked already; the rest of the burst on node 1, then node 2 refuses: one budget in Redis.
    for (let i = 2; i < Limits.awaySummary.burst; i++) assert.ok((await send(inbox1, 'away:summary', { since })).ok)
    const refused = await send(inbox2, 'away:summary', { since })
    assert.ok(!refused.ok && refused.error.code === 'rate_limited', `expected rate_limited on the other node, got ${JSON.stringify(refused)}`)
  })
})
