import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Redis } from 'ioredis'
import { marketKeys } from '../../../server/cluster/market-keys.ts'
import { createMarketLease } from '../../../server/cluster/market-lease.ts'
import { redisSkipReason, redisTestUrl, testRedisPrefix } from '../../helpers/redis.ts'

const skip = await redisSkipReason()

describe('createMarketLease', { skip }, () => {
  const prefix = testRedisPrefix()
  const redis = new Redis(redisTestUrl, { lazyConnect: true, retryStrategy: () => null })
  const keys = marketKeys((name) => `${prefix.prefix}${name}`)
  let clock = 0
  const lease = (nodeId: string) => createMarketLease({ redis, keys, nodeId, leaseMs: 3000, marginMs: 500, clock: () => clock })

  before(() => redis.connect())
  after(async () => {
    await prefix.clean()
    redis.disconnect()
  })

  it('goes to one node at a time, with a higher epoch at each win', async () => {
    const [a, b] = [lease('a'), lease('b')]
    assert.equal(await a.acquire(), true)
    assert.equal(await b.acquire(), false, 'taken')
    assert.equal(await redis.get(keys.leader), `a@${a.epoch}`)
    assert.equal(await redis.pttl(keys.leader) > 2000, true, 'it expires unless renewed')
    await a.release()
    assert.equal(a.held, false)
    assert.equal(await b.acquire(), true)
    assert.equal(b.epoch, a.epoch + 1)
    await b.release()
  })

  it('renews only its own lease: a holder whose lease expired and was won by another learns it lost', async () => {
    const [a, b] = [lease('a'), lease('b')]
    assert.equal(await a.acquire(), true)
    assert.equal(await a.renew(), true)
    await redis.del(keys.leader) // as if it had expired
    assert.equal(await b.acquire(), true)
    assert.equal(await a.renew(), false)
    assert.equal(a.held, false)
    assert.equal(a.token, null)
    await a.release()
    assert.equal(await redis.get(keys.leader), b.token, 'releasing a lost lease leaves the winner\'s alone')
    await b.release()
  })

  it('stops believing it holds the lease a margin before it could expire, when renewals fail', async () => {
    const a = lease('a')
    clock = 10_000
    assert.equal(await a.acquire(), true)
    clock = 12_499
    assert.equal(a.held, true)
    clock = 12_500
    assert.equal(a.held, false, '3000 ms lease, 500 ms margin')
    assert.equal(await a.renew(), true)
    assert.equal(a.held, true, 'renewed from the moment the renewal was sent')
    await a.release()
  })
})
