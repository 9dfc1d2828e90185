import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import type { Saved } from '../../../server/cluster/market-journal.ts'
import { marketFingerprint } from '../../../server/ticker/create-ticker-service.ts'
import type { MarketState } from '../../../server/ticker/market.ts'
import type { Quote } from '../../../shared/ticker.ts'
import { assertFramesOfSeries, frameAfter, openPublishedMarket, recordFrames, replaySeries, tickOf } from '../../helpers/market-series.ts'
import { nodesSkipReason, startNodes, type TestNodes } from '../../helpers/nodes.ts'
import { createPausableTimers } from '../../helpers/pausable-timers.ts'
import { connect, send } from '../../helpers/sockets.ts'

const skip = await nodesSkipReason()
const TICKER_HZ = 10
const TAKEOVER_MS = 5000

/** A node's warnings as parsed pino lines, and a wait for the first one that matches. */
function captureLog () {
  const lines: Record<string, unknown>[] = []
  const waiting = new Set<{ match: (line: Record<string, unknown>) => boolean, resolve: (line: Record<string, unknown>) => void }>()
  const stream = new Writable({
    write (chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n').filter(Boolean)) {
        const line = JSON.parse(text) as Record<string, unknown>
        lines.push(line)
        for (const waiter of waiting) {
          if (waiter.match(line)) {
            waiting.delete(waiter)
            waiter.resolve(line)
          }
        }
      }
      done()
    }
  })
  return {
    stream,
    lines,
    next: (match: (line: Record<string, unknown>) => boolean, timeoutMs: number) => new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`expected a matching log line within ${timeoutMs} ms; got ${JSON.stringify(lines)}`)), timeoutMs)
      waiting.add({ match, resolve: (line) => { clearTimeout(timer); resolve(line) } })
    })
  }
}

describe('electedMarket when its leader stops', { skip }, () => {
  const timers = [0, 1, 2].map(() => createPausableTimers())
  const logs = [0, 1, 2].map(() => captureLog())
  let cluster: TestNodes
  let published: ReturnType<typeof openPublishedMarket>
  let origin: Saved<MarketState>
  const clients: { name: string, node: number, socket: Socket, frames: Quote[][] }[] = []

  const leaders = () => cluster.nodes.filter((node) => node.app.ticker.leading)
  const latestTs = () => Math.max(...clients.flatMap(({ frames }) => frames.length > 0 ? tickOf(frames.at(-1)!) : 0))
  const checkSeries = async () => {
    const steps = await published.journal.stepsAfter(origin.n)
    const { bySeq } = replaySeries(origin.state, steps, TICKER_HZ)
    for (const { name, frames } of clients) assertFramesOfSeries(name, frames, bySeq)
    return steps
  }
  /** The node in the lease, by the name its token starts with. */
  const leaseHolder = async () => {
    const token = await published.leader()
    return cluster.nodes.findIndex((_, i) => token?.startsWith(`node${i + 1}#`))
  }

  before(async () => {
    cluster = await startNodes(3, {
      env: { TICKER_HZ: String(TICKER_HZ) },
      node: (i) => ({ marketTimers: timers[i]!.timers, logger: { level: 'warn', stream: logs[i]!.stream } })
    })
    published = openPublishedMarket(cluster.prefix)
    await published.redis.connect()
    const snapshot = await published.journal.snapshot(marketFingerprint('hubbub'))
    assert.ok(snapshot)
    origin = snapshot
    for (const [i, node] of cluster.nodes.entries()) {
      for (const k of [1, 2]) {
        const socket = await connect(node.url, '/ticker')
        const frames = recordFrames(socket)
        assert.ok((await send(socket, 'ticker:subscribe', { all: true })).ok)
        clients.push({ name: `node${i + 1} client ${k}`, node: i, socket, frames })
      }
    }
  })
  after(async () => {
    for (const { socket } of clients) socket.close()
    for (const pausable of timers) pausable.resume()
    await published?.close()
    await cluster?.close()
  })

  /** Every client not on `node` gets a frame of a later tick than any seen so far, within 5 s. */
  const othersGoOn = (node: number) => {
    const since = latestTs()
    return Promise.all(clients.filter((client) => client.node !== node).map(({ socket }) => frameAfter(socket, since, TAKEOVER_MS)))
  }
  /**
   * Within 5 s, another node than `stopped` holds the lease and the clients of the others get its
   * frames (the stopped leader's last steps may arrive first). The node that took over.
   */
  const replaced = async (stopped: number) => {
    const deadline = Date.now() + TAKEOVER_MS
    const watcher = clients.find((client) => client.node !== stopped)!
    for (;;) {
      await frameAfter(watcher.socket, latestTs(), deadline - Date.now())
      const holder = await leaseHolder()
      if (holder >= 0 && holder !== stopped) {
        await othersGoOn(stopped)
        return holder
      }
    }
  }

  it('is replaced within 5 s when it stops renewing (a crash), and steps down without a step when it comes back', async () => {
    assert.equal(await leaseHolder(), 0, 'node 1 leads')
    const crashed = cluster.nodes[0]!
    timers[0]!.pause({ clock: 'runs' })
    await replaced(0)
    assert.deepEqual(leaders().filter((node) => node !== crashed).length, 1, 'one of the others leads')

    // Back: its clock saw the time go by, so it knows its lease may have expired before stepping.
    const steppedDown = logs[0]!.next((line) => line.msg === 'market: this node no longer leads', TAKEOVER_MS)
    const since = latestTs()
    timers[0]!.resume()
    assert.match(String((await steppedDown).reason), /lease/)
    assert.equal(crashed.app.ticker.leading, false)
    // Its clients follow the new leader.
    await Promise.all(clients.filter((client) => client.node === 0).map(({ socket }) => frameAfter(socket, since, TAKEOVER_MS)))
    const steps = await checkSeries()
    assert.ok(new Set(steps.map((step) => step.epoch)).size >= 2, 'steps of two leaders')
  })

  it('fences off a paused leader whose clock stood still: none of its steps reaches a client', async () => {
    const paused = await leaseHolder()
    assert.ok(paused > 0, `node ${paused + 1} leads`)
    timers[paused]!.pause({ clock: 'stops' })
    const successor = await replaced(paused)

    // Back: it believes its lease still holds and steps, but Redis refuses the step.
    const fenced = logs[paused]!.next((line) => line.msg === 'market: this node no longer leads', TAKEOVER_MS)
    const since = latestTs()
    timers[paused]!.resume()
    assert.equal((await fenced).reason, 'another node holds the lease (fenced)')
    await Promise.all(clients.filter((client) => client.node === paused).map(({ socket }) => frameAfter(socket, since, TAKEOVER_MS)))
    await othersGoOn(-1)
    await checkSeries()
    assert.deepEqual(leaders().map((node) => cluster.nodes.indexOf(node)), [successor], 'one leader')
  })
})
