import assert from 'node:assert/strict'
import { setTimeout as delay } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import type { Saved } from '../../../server/cluster/market-journal.ts'
import { marketFingerprint } from '../../../server/ticker/create-ticker-service.ts'
import type { MarketState } from '../../../server/ticker/market.ts'
import type { Quote } from '../../../shared/ticker.ts'
import { assertFramesOfSeries, frameAfter, openPublishedMarket, recordFrames, replaySeries, tickOf } from '../../helpers/market-series.ts'
import { nodesSkipReason } from '../../helpers/nodes.ts'
import { createTestSchema, type TestSchema } from '../../helpers/postgres.ts'
import { redisTestUrl, testRedisPrefix } from '../../helpers/redis.ts'
import { connect, send } from '../../helpers/sockets.ts'
import { spawnServer, type SpawnedServer } from '../../helpers/spawn-server.ts'

const skip = await nodesSkipReason()
const TICKER_HZ = 10
const TAKEOVER_MS = 5000
const STOPPED_MS = 10_000
const NODES = [0, 1, 2]

/**
 * The real thing: three `node server/main.ts` processes on one PostgreSQL schema and one Redis
 * prefix; the leader stopped (SIGSTOP) and continued (SIGCONT), then the new leader killed outright.
 */
describe('electedMarket with its nodes as processes', { skip }, () => {
  const prefix = testRedisPrefix()
  let schema: TestSchema
  const servers: SpawnedServer[] = []
  let published: ReturnType<typeof openPublishedMarket>
  let origin: Saved<MarketState>
  const clients: { name: string, node: number, socket: Socket, frames: Quote[][] }[] = []

  const spawnNode = (i: number) => spawnServer({
    DATABASE_URL: schema.url,
    REDIS_URL: redisTestUrl,
    REDIS_PREFIX: prefix.prefix,
    NODE_NAME: `node${i + 1}`,
    SERVE_CLIENT: 'false',
    TICKER_HZ: String(TICKER_HZ)
  })
  const leaseHolder = async () => {
    const token = await published.leader()
    return servers.findIndex((_, i) => token?.startsWith(`node${i + 1}#`))
  }
  const latestTs = () => Math.max(...clients.flatMap(({ frames }) => frames.length > 0 ? [tickOf(frames.at(-1)!)] : []))
  /** Every client of the nodes in `nodes` gets a frame of a later tick than any seen so far, within 5 s. */
  const goOn = (nodes: number[]) => {
    const since = latestTs()
    return Promise.all(clients.filter((client) => nodes.includes(client.node)).map(({ socket }) => frameAfter(socket, since, TAKEOVER_MS)))
  }
  /** Within 5 s, one of `nodes` holds the lease and its clients get its frames (the old leader's last steps may come first); its index. */
  const takenOverByOneOf = async (nodes: number[]) => {
    const deadline = Date.now() + TAKEOVER_MS
    const watchers = clients.filter((client) => nodes.includes(client.node))
    for (;;) {
      await Promise.any(watchers.map(({ socket }) => frameAfter(socket, latestTs(), deadline - Date.now())))
      const holder = await leaseHolder()
      if (nodes.includes(holder)) {
        await goOn([holder])
        return holder
      }
    }
  }
  const checkSeries = async () => {
    const steps = await published.journal.stepsAfter(origin.n)
    const { bySeq } = replaySeries(origin.state, steps, TICKER_HZ)
    for (const { name, frames } of clients) assertFramesOfSeries(name, frames, bySeq)
    return steps
  }

  before(async () => {
    schema = await createTestSchema()
    // One at a time: node 1 publishes the market first, the others load it.
    for (const i of [0, 1, 2]) servers.push(await spawnNode(i))
    published = openPublishedMarket(prefix.prefix)
    await published.redis.connect()
    const snapshot = await published.journal.snapshot(marketFingerprint('hubbub'))
    assert.ok(snapshot, 'node 1 published its market')
    origin = snapshot
    for (const [i, server] of servers.entries()) {
      for (const k of [1, 2]) {
        const socket = await connect(server.url, '/ticker')
        const frames = recordFrames(socket)
        assert.ok((await send(socket, 'ticker:subscribe', { all: true })).ok)
        clients.push({ name: `node${i + 1} client ${k}`, node: i, socket, frames })
      }
    }
    await goOn(NODES)
  })
  after(async () => {
    for (const { socket } of clients) socket.close()
    await Promise.all(servers.map((server) => server.stop()))
    await published?.close()
    await schema?.drop()
    await prefix.clean()
  })

  it('replaces a leader stopped with SIGSTOP within 5 s; continued 10 s later, it steps down and none of its steps reaches a client', async () => {
    const stopped = await leaseHolder()
    assert.ok(stopped >= 0, 'a node leads')
    const stoppedAt = Date.now()
    servers[stopped]!.signal('SIGSTOP')
    const next = await takenOverByOneOf(NODES.filter((i) => i !== stopped))
    // The stop the issue names: 10 s, far past its lease, before the old leader runs again.
    await delay(Math.max(0, stoppedAt + STOPPED_MS - Date.now()))
    servers[stopped]!.signal('SIGCONT')
    // Its clients follow the new leader: one frame of the market as it is, then its ticks.
    await goOn([stopped])
    await goOn(NODES)
    assert.equal(await leaseHolder(), next, 'the new leader keeps the lease')
    await checkSeries()
  })

  it('replaces a leader killed with SIGKILL within 5 s, continuing its series', async () => {
    const killed = await leaseHolder()
    servers[killed]!.signal('SIGKILL')
    await servers[killed]!.exited
    await takenOverByOneOf(NODES.filter((i) => i !== killed))
    const steps = await checkSeries()
    assert.ok(new Set(steps.map((step) => step.epoch)).size >= 3, 'steps of three leaders')
  })
})
