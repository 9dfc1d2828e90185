import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Redis } from 'ioredis'
import { marketKeys } from '../../../server/cluster/market-keys.ts'
import { createMarketJournal } from '../../../server/cluster/market-journal.ts'
import { createMarketLease } from '../../../server/cluster/market-lease.ts'
import { createMarketReplica } from '../../../server/cluster/market-replica.ts'
import { encodeStep, type PublishedStep } from '../../../server/cluster/market-wire.ts'
import { createSqliteStorage } from '../../../server/storage/sqlite/sqlite-storage.ts'
import { createTickerService } from '../../../server/ticker/create-ticker-service.ts'
import type { MarketHost } from '../../../server/ticker/market-driver.ts'
import type { MarketTick } from '../../../server/ticker/market.ts'
import { redisSkipReason, redisTestUrl, testRedisPrefix } from '../../helpers/redis.ts'

const skip = await redisSkipReason()
const listings = [
  { symbol: 'QLFX', name: 'Quillfox Software', sector: 'Technology', price: 100, drift: 0.1, volatility: 0.3 },
  { symbol: 'BKMW', name: 'Brookmere Water', sector: 'Utilities', price: 44.8, drift: 0.04, volatility: 0.14 }
]
const market = { listings, backfillMs: 60_000, tradeRate: 1000 }

describe('createMarketReplica', { skip }, () => {
  const prefix = testRedisPrefix()
  const redis = new Redis(redisTestUrl, { lazyConnect: true, retryStrategy: () => null })
  const keys = marketKeys((name) => `${prefix.prefix}${name}`)
  const journal = createMarketJournal({ redis, keys, keepSteps: 1000, ttlMs: 60_000 })
  const storage = createSqliteStorage(':memory:')
  const serviceOf = (seed: string) => {
    let host: MarketHost | undefined
    const noDriver = { start: async () => {}, stop () {}, close: async () => {}, leading: false, alertCreated () {}, alertDeleted () {} }
    const ticker = createTickerService({
      storage,
      seed,
      tickHz: 4,
      notify: async () => {},
      log: { error () {} },
      market,
      driver: (given) => { host = given; return noDriver }
    })
    return { ticker, host: host! }
  }
  // The leader's market and the replica's: the same seed and listings (one fingerprint).
  const leader = serviceOf('replica')
  const follower = serviceOf('replica')
  const warnings: string[] = []
  const delivered: MarketTick[] = []
  let waiting: (() => void) | undefined
  follower.ticker.onTick((tick) => {
    delivered.push(tick)
    waiting?.()
  })
  const log = {
    warn (obj: unknown, msg?: string) {
      warnings.push(typeof obj === 'string' ? obj : msg ?? '')
      waiting?.()
    }
  }
  /** Waits until `check` holds, looking again at each tick the replica delivers and each warning it logs. */
  const until = async (check: () => boolean, what: string) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`expected ${what} within 5 s; delivered ${delivered.length}, warnings ${JSON.stringify(warnings)}`)), 5000)
    })
    try {
      while (!check()) await Promise.race([new Promise<void>((resolve) => { waiting = resolve }), timedOut])
    } finally {
      clearTimeout(timer)
      waiting = undefined
    }
  }
  const replica = createMarketReplica({ journal, host: follower.host, openReader: () => redis.duplicate(), log, setTimeout, blockMs: 200, retryMs: 50 })
  const lease = createMarketLease({ redis, keys, nodeId: 'leader', leaseMs: 10_000, marginMs: 500, clock: () => 0 })
  let published = 0
  const publish = async (step?: Partial<PublishedStep>) => {
    const tick = leader.host.step()
    const next = { lineage: 'L', epoch: lease.epoch, n: ++published, ts: tick.ts, changes: tick.quotes.map((quote, i) => ({ quote, traded: tick.traded[i]! })), ...step }
    assert.equal(await journal.publish({ token: lease.token!, fingerprint: leader.host.fingerprint, step: next, model: leader.host.modelState() }), true)
    return tick
  }
  const prices = (quotes: { symbol: string, seq: number, price: number }[]) => quotes.map((q) => `${q.symbol}#${q.seq}=${q.price}`)

  before(async () => {
    await redis.connect()
    assert.equal(await lease.acquire(), true)
    const begin = { lineage: 'L', epoch: lease.epoch, n: 0, ts: 0, changes: [] }
    assert.equal(await journal.publish({ token: lease.token!, fingerprint: leader.host.fingerprint, step: begin, model: leader.host.modelState(), market: leader.host.state() }), true)
  })
  after(async () => {
    replica.close()
    await prefix.clean()
    redis.disconnect()
    storage.close()
  })

  it('loads the latest snapshot and the steps after it, with one frame of what changed, then delivers each new step once', async () => {
    for (let i = 0; i < 3; i++) await publish()
    await replica.start()
    assert.equal(delivered.length, 1, 'one frame after loading')
    // Its own market (same seed, same listings, but its own clock) had other quotes: all changed.
    assert.deepEqual(prices(delivered[0]!.quotes), prices(leader.ticker.quotes()))
    assert.deepEqual(follower.ticker.candles('QLFX', '5s'), leader.ticker.candles('QLFX', '5s'))
    for (let i = 0; i < 3; i++) {
      const tick = await publish()
      await until(() => delivered.length === 2 + i, `step ${published}`)
      assert.deepEqual(delivered.at(-1), tick, 'the leader\'s tick, the same on the replica')
    }
    assert.deepEqual(follower.ticker.quotes(), leader.ticker.quotes())
    assert.equal(replica.applied, published)
  })

  it('drops a step of an older epoch than one it has taken', async () => {
    await lease.release()
    assert.equal(await lease.acquire(), true, 'a new epoch')
    await publish()
    await until(() => replica.applied === published, 'the step of the new epoch')
    const before = delivered.length
    // What the fence in Redis never lets through: a step of the older epoch after it.
    const forged = { lineage: 'L', epoch: lease.epoch - 1, n: published + 1, ts: Date.now(), changes: [] }
    await redis.xadd(keys.steps, `${forged.n}-0`, 'step', encodeStep(forged))
    await until(() => warnings.includes('market: dropped a step of an older epoch'), 'the forged step to be dropped')
    assert.equal(delivered.length, before, 'nothing delivered')
    assert.equal(replica.applied, published)
  })
})
