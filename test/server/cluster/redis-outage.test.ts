/**
 * Two nodes on a Redis of the test's own, which is killed for 5 s while a user on node 1 writes to
 * a room that a user on node 2 follows. Nothing may stop: sends are stored and acknowledged
 * meanwhile, and node 2's client ends up with every message (late pushes, or the seq catch-up).
 */
import assert from 'node:assert/strict'
import { setTimeout as delay } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'
import { followRoom, startWriter } from '../../helpers/chat-member.ts'
import { api, registerUser } from '../../helpers/http.ts'
import { nodesSkipReason, startNodes, type TestNodes } from '../../helpers/nodes.ts'
import { redisServerSkipReason, startRedisServer } from '../../helpers/redis.ts'

const skip = (await nodesSkipReason()) || redisServerSkipReason()
const OUTAGE_MS = 5000
const RESUME_MS = 5000

describe('a Redis outage under chat load', { skip }, () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>
  let cluster: TestNodes

  before(async () => {
    redis = await startRedisServer()
    cluster = await startNodes(2, { env: { REDIS_URL: redis.url } })
  })
  after(async () => {
    await cluster?.close()
    await redis?.stop()
  })

  it('keeps storing and acknowledging sends, and delivers everything across nodes once Redis is back', async () => {
    const [one, two] = cluster.nodes
    const [writer, reader] = await Promise.all([registerUser(one!.url, 'outagewriter'), registerUser(one!.url, 'outagereader')])
    const created = await api(one!.url, 'POST', '/api/rooms', { token: writer.token, body: { name: 'outage', visibility: 'public' } })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const roomId = created.body.room.id as string
    const follower = await followRoom(two!.url, { token: reader.token, roomId })
    const sender = await startWriter(one!.url, { token: writer.token, roomId, name: 'outage' })
    const sending = new AbortController()
    const loop = (async () => {
      while (!sending.signal.aborted) {
        await sender.send()
        await delay(100)
      }
    })()
    try {
      await delay(1000)
      const before = sender.acked.length
      await redis.stop()
      await delay(OUTAGE_MS)
      const duringOutage = sender.acked.length - before
      await redis.start()
      const backAt = Date.now()
      await delay(1000)
      sending.abort()
      await loop

      assert.ok(duringOutage >= 10, `only ${duringOutage} sends acknowledged while Redis was away`)
      const lastSeq = Math.max(...sender.acked.map((ack) => ack.seq))
      assert.deepEqual(sender.acked.map((ack) => ack.seq).sort((a, b) => a - b), Array.from({ length: lastSeq }, (_, i) => i + 1), 'one seq per acknowledged send, no gap')
      const missing = () => sender.acked.filter((ack) => !follower.seqs.has(ack.seq)).map((ack) => ack.seq)
      while (missing().length > 0 && Date.now() < backAt + RESUME_MS) await delay(50)
      assert.deepEqual(missing(), [], `messages node 2's client still lacked ${RESUME_MS / 1000} s after Redis came back`)
      assert.equal(follower.reconnects, 0, 'node 2\'s client was disconnected')

      // And live delivery across nodes works again.
      const live = new Promise<number>((resolve) => follower.socket.once('chat:message', ({ message }: { message: { seq: number } }) => resolve(message.seq)))
      await sender.send()
      assert.equal(await live, sender.acked.at(-1)!.seq)
      for (const node of cluster.nodes) assert.equal((await api(node.url, 'GET', '/readyz')).status, 200)
    } finally {
      sending.abort()
      follower.close()
      sender.follower.close()
    }
  })
})
