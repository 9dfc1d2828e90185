import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Redis } from 'ioredis'
import { marketKeys } from '../../../server/cluster/market-keys.ts'
import { createMarketJournal } from '../../../server/cluster/market-journal.ts'
import { createMarketLease } from '../../../server/cluster/market-lease.ts'
import { WIRE_VERSION } from '../../../server/cluster/market-wire.ts'
import { createMarket } from '../../../server/ticker/market.ts'
import { redisSkipReason, redisTestUrl, testRedisPrefix } from '../../helpers/redis.ts'

const skip = await redisSkipReason()
const listings = [
  { symbol: 'QLFX', name: 'Quillfox Software', sector: 'Technology', price: 100, drift: 0.1, volatility: 0.3 },
  { symbol: 'BKMW', name: 'Brookmere Water', sector: 'Utilities', price: 44.8, drift: 0.04, volatility: 0.14 }
]

describe('createMarketJournal', { skip }, () => {
  const prefix = testRedisPrefix()
  const redis = new Redis(redisTestUrl, { lazyConnect: true, retryStrategy: () => null })
  const keys = marketKeys((name) => `${prefix.prefix}${name}`)
  const journal = createMarketJournal({ redis, keys, keepSteps: 1000, ttlMs: 60_000 })
  const lease = (nodeId: string) => createMarketLease({ redis, keys, nodeId, leaseMs: 3000, marginMs: 500, clock: () => 0 })
  let clock = 1_000_000
  const market = createMarket({ seed: 'journal', tickHz: 4, now: () => clock, listings, backfillMs: 60_000, tradeRate: 1000 })
  /** The market's next step, as the leader publishes it. */
  const nextStep = (epoch: number, n: number) => {
    clock += 250
    const tick = market.tick()
    return { lineage: 'L', epoch, n, ts: tick.ts, changes: tick.quotes.map((quote, i) => ({ quote, traded: tick.traded[i]! })) }
  }

  before(() => redis.connect())
  after(async () => {
    await prefix.clean()
    redis.disconnect()
  })

  it('writes a step, the model after it and the snapshot, only while the token holds the lease', async () => {
    const first = lease('first')
    assert.equal(await first.acquire(), true)
    const token = first.token!
    assert.equal(await journal.publish({ token, fingerprint: 'f', step: { lineage: 'L', epoch: first.epoch, n: 0, ts: 0, changes: [] }, model: market.modelState(), market: market.state() }), true)
    const one = nextStep(first.epoch, 1)
    assert.equal(await journal.publish({ token, fingerprint: 'f', step: one, model: market.modelState() }), true)
    assert.deepEqual((await journal.stepsAfter(0)).map((step) => step.n), [1])
    const head = await journal.head('f')
    assert.deepEqual({ ...head, state: undefined }, { fingerprint: `f/${WIRE_VERSION}`, lineage: 'L', epoch: first.epoch, n: 1, state: undefined })
    // Names and sectors are left out on the way (every node has the listings).
    const unnamed = ({ model, ...rest }: ReturnType<typeof market.modelState>) =>
      ({ ...rest, model: { ...model, symbols: model.symbols.map(({ quote, ...symbol }) => ({ ...symbol, quote: { ...quote, name: '', sector: '' } })) } })
    assert.deepEqual(head?.state, unnamed(market.modelState()), 'the model after the step')
    assert.equal((await journal.snapshot('f'))?.n, 0)
    assert.equal(await journal.head('another seed'), null, 'a market of another fingerprint is none')

    // The lease expires while `first` sleeps; `second` wins it; `first` wakes and publishes.
    await redis.del(keys.leader)
    const second = lease('second')
    assert.equal(await second.acquire(), true)
    const stale = nextStep(first.epoch, 2)
    assert.equal(await journal.publish({ token, fingerprint: 'f', step: stale, model: market.modelState(), market: market.state() }), false, 'fenced')
    assert.deepEqual((await journal.stepsAfter(0)).map((step) => step.n), [1], 'no step written')
    assert.equal((await journal.head('f'))?.n, 1, 'nor its model')
    assert.equal((await journal.snapshot('f'))?.n, 0, 'nor its snapshot')
    await second.release()
  })

  it('starts a new series at n = 0, dropping the steps of the older one', async () => {
    const leader = lease('leader')
    assert.equal(await leader.acquire(), true)
    assert.equal(await journal.publish({ token: leader.token!, fingerprint: 'f', step: { lineage: 'M', epoch: leader.epoch, n: 0, ts: 0, changes: [] }, model: market.modelState(), market: market.state() }), true)
    assert.deepEqual(await journal.stepsAfter(0), [])
    assert.equal((await journal.snapshot('f'))?.lineage, 'M')
    await leader.release()
  })

  it('hands a waiting reader the steps after the one it has', async () => {
    const leader = lease('leader')
    assert.equal(await leader.acquire(), true)
    const reader = redis.duplicate()
    try {
      const waiting = journal.waitForSteps(reader, 0, 5000)
      const step = nextStep(leader.epoch, 1)
      assert.equal(await journal.publish({ token: leader.token!, fingerprint: 'f', step: { ...step, lineage: 'M' }, model: market.modelState() }), true)
      const [got] = await waiting
      assert.deepEqual(got?.changes.map((change) => [change.quote.symbol, change.quote.seq, change.quote.price, change.traded]),
        step.changes.map((change) => [change.quote.symbol, change.quote.seq, change.quote.price, change.traded]))
      assert.deepEqual(await journal.waitForSteps(reader, 1, 10), [], 'nothing newer')
    } finally {
      reader.disconnect()
      await leader.release()
    }
  })
})
