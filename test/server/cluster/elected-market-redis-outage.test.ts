import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import type { Saved } from '../../../server/cluster/market-journal.ts'
import { marketFingerprint } from '../../../server/ticker/create-ticker-service.ts'
import type { MarketState } from '../../../server/ticker/market.ts'
import type { Quote } from '../../../shared/ticker.ts'
import { api } from '../../helpers/http.ts'
import { assertFramesOfSeries, frameAfter, openPublishedMarket, recordFrames, replaySeries, tickOf } from '../../helpers/market-series.ts'
import { nodesSkipReason, startNodes, type TestNodes } from '../../helpers/nodes.ts'
import { redisTestUrl } from '../../helpers/redis.ts'
import { connect, send } from '../../helpers/sockets.ts'
import { startTcpProxy } from '../../helpers/tcp-proxy.ts'

const skip = await nodesSkipReason()
const TICKER_HZ = 10

describe('electedMarket while Redis is away', { skip }, () => {
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>
  let cluster: TestNodes
  let published: ReturnType<typeof openPublishedMarket>
  let origin: Saved<MarketState>
  const clients: { name: string, socket: Socket, frames: Quote[][] }[] = []
  /** The first node's log lines, and a wait for one. */
  const lines: { msg?: string, reason?: string }[] = []
  let onLine: (() => void) | undefined
  const stream = new Writable({
    write (chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(text))
      onLine?.()
      done()
    }
  })
  const logged = (msg: string, timeoutMs: number) => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`expected "${msg}" within ${timeoutMs} ms; got ${JSON.stringify(lines)}`)), timeoutMs)
    onLine = () => {
      if (!lines.some((line) => line.msg === msg)) return
      clearTimeout(timer)
      onLine = undefined
      resolve()
    }
    onLine()
  })

  before(async () => {
    const { hostname, port } = new URL(redisTestUrl)
    proxy = await startTcpProxy({ host: hostname, port: Number(port || 6379) })
    cluster = await startNodes(2, {
      env: { TICKER_HZ: String(TICKER_HZ), REDIS_URL: `redis://127.0.0.1:${proxy.port}` },
      node: (i) => (i === 0 ? { logger: { level: 'warn', stream } } : {})
    })
    published = openPublishedMarket(cluster.prefix)
    await published.redis.connect()
    const snapshot = await published.journal.snapshot(marketFingerprint('hubbub'))
    assert.ok(snapshot)
    origin = snapshot
    for (const [i, node] of cluster.nodes.entries()) {
      const socket = await connect(node.url, '/ticker')
      const frames = recordFrames(socket)
      assert.ok((await send(socket, 'ticker:subscribe', { all: true })).ok)
      clients.push({ name: `node${i + 1} client`, socket, frames })
    }
  })
  after(async () => {
    for (const { socket } of clients) socket.close()
    await proxy?.restore()
    await published?.close()
    await cluster?.close()
    await proxy?.idle()
    await proxy?.close()
  })

  it('stops stepping when Redis goes away, keeps serving, and continues the same series when it comes back', async () => {
    const [leader, follower] = cluster.nodes as [TestNodes['nodes'][0], TestNodes['nodes'][0]]
    assert.equal(leader.app.ticker.leading, true)
    await Promise.all(clients.map(({ socket }) => frameAfter(socket, 0, 5000)))

    await proxy.cut()
    await logged('market: this node no longer leads', 5000)
    assert.deepEqual(cluster.nodes.map((node) => node.app.ticker.leading), [false, false], 'no node steps a market it cannot publish')
    // Both nodes still answer: the market as it was, and a readiness that says why not.
    for (const [i, node] of cluster.nodes.entries()) {
      const answer = await send<{ quotes: Quote[] }>(clients[i]!.socket, 'ticker:subscribe', { symbols: ['QLFX'] })
      assert.ok(answer.ok, `node ${i + 1} answers while Redis is away: ${JSON.stringify(answer)}`)
      assert.equal((await api(node.url, 'GET', '/readyz')).status, 503)
    }
    const lastTs = Math.max(...clients.map(({ frames }) => tickOf(frames.at(-1)!)))

    await proxy.restore()
    // Reconnection (up to 2 s apart), then the old lease expiring (3 s at most), then a takeover.
    await Promise.all(clients.map(({ socket }) => frameAfter(socket, lastTs, 10_000)))
    assert.equal(cluster.nodes.filter((node) => node.app.ticker.leading).length, 1, 'one node leads again')
    const steps = await published.journal.stepsAfter(origin.n)
    const { bySeq } = replaySeries(origin.state, steps, TICKER_HZ)
    for (const { name, frames } of clients) assertFramesOfSeries(name, frames, bySeq)
    assert.ok(follower.app.ticker.quotes().length > 0)
  })
})
