import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, describe, it } from 'node:test'
import { Redis } from 'ioredis'
import type { PresenceChange } from '../../../server/chat/presence.ts'
import { createRedisPresence, defaultHeartbeat, type PresenceHeartbeat } from '../../../server/chat/redis-presence.ts'
import { connectRedis } from '../../../server/cluster/redis.ts'
import { redisServerSkipReason, redisSkipReason, redisTestUrl, startRedisServer, testRedisPrefix } from '../../helpers/redis.ts'
import { startTcpProxy } from '../../helpers/tcp-proxy.ts'

const skip = await redisSkipReason()
const outageSkip = skip || redisServerSkipReason()

const cleanups: Array<() => Promise<void>> = []
after(async () => {
  // Last opened, first closed: presences before their connections, servers last.
  for (const cleanup of cleanups.reverse()) await cleanup()
})

const offline = (roomId: string, userId: string): PresenceChange => ({ roomId, userId, online: false })
const online = (roomId: string, userId: string): PresenceChange => ({ roomId, userId, online: true })
const sorted = (set: Set<string>) => [...set].sort()

/** Nodes sharing one fresh key prefix on `url`, as separate processes would (each its own connections). */
function cluster (url = redisTestUrl) {
  const keys = testRedisPrefix()
  cleanups.push(() => keys.clean().catch(() => {}))

  async function node (name: string, heartbeat: Partial<PresenceHeartbeat> = { everyMs: 60_000 }, nodeUrl = url) {
    const nodeId = `${name}#${randomBytes(3).toString('hex')}`
    const warnings: string[] = []
    const note = (...args: unknown[]) => { warnings.push(String(args.find((arg) => typeof arg === 'string'))) }
    const log = { warn: note, info: () => {} }
    const connections = await connectRedis(nodeUrl, log)
    const reported: PresenceChange[][] = []
    const waiting: Array<(changes: PresenceChange[]) => void> = []
    const presence = createRedisPresence({
      redis: connections.commands,
      key: (name) => keys.prefix + name,
      nodeId,
      log,
      onChange (changes) {
        reported.push(changes)
        waiting.shift()?.(changes)
      },
      ...heartbeat
    })
    cleanups.push(async () => {
      await presence.close()
      await connections.close()
    })
    await presence.start()
    return {
      presence,
      nodeId,
      connections,
      reported,
      /** The presence warnings this node logged (the connection's own are not counted). */
      presenceWarnings: () => warnings.filter((message) => message.startsWith('presence:')),
      /** The next changes this node reports (a sweep, a resync). */
      nextChange: (timeoutMs = 8000) => new Promise<PresenceChange[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${name} to report a presence change within ${timeoutMs} ms; it reported ${JSON.stringify(reported)}`)), timeoutMs)
        waiting.push((changes) => {
          clearTimeout(timer)
          resolve(changes)
        })
      })
    }
  }

  /** Deletes a node's alive key, as its expiry would once its heartbeat stopped. */
  async function expire (nodeId: string) {
    const admin = new Redis(url)
    try {
      assert.equal(await admin.del(`${keys.prefix}presence:alive:${nodeId}`), 1, `${nodeId} had an alive key`)
    } finally {
      admin.disconnect()
    }
  }

  return { node, expire }
}

describe('createRedisPresence', { skip }, () => {
  it('takes a dead node\'s users offline within 30 s with the default heartbeat', () => {
    // The alive key outlives the last renewal by expiryMs; some node's sweep follows within everyMs.
    const worst = defaultHeartbeat.expiryMs + defaultHeartbeat.everyMs
    assert.ok(worst <= 30_000, `a dead node is swept up to ${worst} ms after its last heartbeat`)
  })

  it('decides the first and the last socket of a user in a room once across nodes', async () => {
    const { node } = cluster()
    const [a, b] = await Promise.all([node('a'), node('b')])
    const sockets = Array.from({ length: 20 }, (_, i) => ({ socketId: `s${i}`, on: i % 2 ? a : b }))
    const firsts = await Promise.all(sockets.map(({ socketId, on }) => on.presence.add('r', 'alice', socketId)))
    assert.equal(firsts.filter(Boolean).length, 1, `one first socket among ${JSON.stringify(firsts)}`)
    assert.deepEqual(sorted(await a.presence.online('r')), ['alice'])
    const lasts = await Promise.all(sockets.map(({ socketId, on }) => on.presence.remove('r', 'alice', socketId)))
    assert.equal(lasts.filter(Boolean).length, 1, `one last socket among ${JSON.stringify(lasts)}`)
    assert.deepEqual(sorted(await b.presence.online('r')), [])
  })

  it('answers who is online in a room from every node, counting a socket once', async () => {
    const { node } = cluster()
    const [a, b] = await Promise.all([node('a'), node('b')])
    assert.equal(await a.presence.add('r1', 'alice', 's1'), true)
    assert.equal(await b.presence.add('r1', 'bob', 's2'), true)
    assert.equal(await b.presence.add('r2', 'carol', 's3'), true)
    assert.equal(await a.presence.add('r1', 'alice', 's1'), false, 'the same socket again is not a first')
    assert.deepEqual(sorted(await a.presence.online('r1')), ['alice', 'bob'])
    assert.deepEqual(sorted(await a.presence.online('r2')), ['carol'])
    assert.deepEqual(await Promise.all(['r1', 'r2', 'r3'].map((roomId) => b.presence.count(roomId))), [2, 1, 0])
    assert.equal(await b.presence.remove('r1', 'alice', 's1'), false, 'a socket of another node is not removed here')
    assert.equal(await a.presence.remove('r1', 'alice', 's1'), true, 'one removal takes the socket counted once')
    assert.equal(await a.presence.remove('r1', 'alice', 's1'), false)
    assert.deepEqual(sorted(await b.presence.online('r1')), ['bob'])
  })

  it('sweeps a dead node\'s entries once, reporting who went offline', async () => {
    const { node, expire } = cluster()
    const [a, b, c] = await Promise.all([node('a'), node('b'), node('c')])
    await a.presence.add('r', 'alice', 's1')
    await a.presence.add('r', 'bob', 's2')
    await b.presence.add('r', 'bob', 's3')
    // a dies: it renews nothing any more, and its alive key runs out.
    a.connections.commands.disconnect()
    await expire(a.nodeId)
    const swept = (await Promise.all([b.presence.sweep(), c.presence.sweep()])).flat()
    assert.deepEqual(swept, [offline('r', 'alice')], 'alice, once; bob is still on b')
    assert.deepEqual([...b.reported, ...c.reported], [[offline('r', 'alice')]])
    assert.deepEqual((await Promise.all([b.presence.sweep(), c.presence.sweep()])).flat(), [], 'nothing left to sweep')
    assert.deepEqual(sorted(await c.presence.online('r')), ['bob'])
  })

  it('takes a node\'s users offline by itself once its heartbeat stops', async () => {
    const { node } = cluster()
    const fast = { everyMs: 50, expiryMs: 300 }
    const [a, b] = await Promise.all([node('a', fast), node('b', fast)])
    await a.presence.add('r', 'alice', 's1')
    assert.deepEqual(sorted(await b.presence.online('r')), ['alice'])
    const swept = b.nextChange()
    a.connections.commands.disconnect()
    assert.deepEqual(await swept, [offline('r', 'alice')])
    assert.deepEqual(sorted(await b.presence.online('r')), [])
  })

  it('puts its entries back after others swept it while it could not reach Redis', async () => {
    const { node } = cluster()
    const { hostname, port } = new URL(redisTestUrl)
    const proxy = await startTcpProxy({ host: hostname, port: Number(port || 6379) })
    cleanups.push(proxy.close)
    const fast = { everyMs: 50, expiryMs: 300 }
    const a = await node('a', fast, `redis://127.0.0.1:${proxy.port}`)
    const b = await node('b', fast)
    await a.presence.add('r', 'alice', 's1')
    const swept = b.nextChange()
    // a's heartbeats hang: its alive key runs out and b sweeps alice, though a still serves her.
    await proxy.stall()
    assert.deepEqual(await swept, [offline('r', 'alice')])
    const back = a.nextChange()
    await proxy.restore()
    assert.deepEqual(await back, [online('r', 'alice')], 'a announces alice again')
    assert.deepEqual(sorted(await b.presence.online('r')), ['alice'])
    assert.equal(a.presenceWarnings().length, 1, JSON.stringify(a.presenceWarnings()))
  })

  it('takes its entries out at once on a clean close', async () => {
    const { node } = cluster()
    const [a, b] = await Promise.all([node('a'), node('b')])
    await a.presence.add('r', 'alice', 's1')
    await a.presence.add('r', 'bob', 's2')
    await b.presence.add('r', 'bob', 's3')
    await a.presence.close()
    assert.deepEqual(a.reported, [[offline('r', 'alice')]])
    assert.deepEqual(sorted(await b.presence.online('r')), ['bob'])
  })
})

describe('createRedisPresence during a Redis outage', { skip: outageSkip }, () => {
  it('decides from its own sockets while Redis is down, and re-asserts them when it restarts empty', async () => {
    const redis = await startRedisServer()
    cleanups.push(redis.stop)
    const { node } = cluster(redis.url)
    const p = await node('p', { everyMs: 50, expiryMs: 10_000 })
    await p.presence.add('r', 'alice', 's1')
    await p.presence.add('r', 'bob', 's2')
    await redis.stop()
    assert.equal(await p.presence.add('r', 'carol', 's3'), true, 'carol\'s first socket here')
    assert.equal(await p.presence.remove('r', 'bob', 's2'), true, 'bob\'s last socket here')
    assert.equal(await p.presence.add('r', 'alice', 's4'), false, 'alice already has a socket here')
    assert.deepEqual(sorted(await p.presence.online('r')), ['alice', 'carol'])
    assert.equal(await p.presence.count('r'), 2)
    assert.equal(p.presenceWarnings().length, 1, `one warning for the outage: ${JSON.stringify(p.presenceWarnings())}`)

    const back = p.nextChange()
    await redis.start()
    // Carol and bob were told during the outage; alice is announced again, as Redis had lost her.
    assert.deepEqual(await back, [online('r', 'alice')])
    const q = await node('q')
    assert.deepEqual(sorted(await q.presence.online('r')), ['alice', 'carol'])
    assert.equal(await q.presence.add('r', 'alice', 's5'), false, 'alice\'s sockets are counted again')
    assert.equal(p.presenceWarnings().length, 1, JSON.stringify(p.presenceWarnings()))
  })

  it('answers within the command timeout when Redis hangs, and puts right what it told the rooms', async () => {
    const redis = await startRedisServer()
    cleanups.push(redis.stop)
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: redis.port })
    cleanups.push(proxy.close)
    const { node } = cluster(redis.url)
    const p = await node('p', { everyMs: 50, expiryMs: 10_000 }, `redis://127.0.0.1:${proxy.port}`)
    const q = await node('q')
    await p.presence.add('r', 'alice', 's1')
    await p.presence.add('r', 'bob', 's2')
    await q.presence.add('r', 'bob', 's9')
    await proxy.stall()
    // Decided from p's own sockets: bob looks gone (he is still on q), which Redis puts right later.
    assert.equal(await p.presence.remove('r', 'bob', 's2'), true)
    assert.equal(await p.presence.remove('r', 'alice', 's1'), true)
    assert.equal(await p.presence.add('r', 'carol', 's3'), true)

    const back = p.nextChange()
    await proxy.restore()
    assert.deepEqual(await back, [online('r', 'bob')], 'only what the rooms were told wrong')
    assert.deepEqual(sorted(await q.presence.online('r')), ['bob', 'carol'])
    assert.equal(p.presenceWarnings().length, 1, JSON.stringify(p.presenceWarnings()))
  })
})
