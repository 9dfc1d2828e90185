import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { servicesRequired } from './postgres.ts'

/** The Redis the tests may use; every test keeps to keys under a prefix of its own. */
export const redisTestUrl = process.env.REDIS_URL_TEST || 'redis://127.0.0.1:6379'

/**
 * False when Redis answers; otherwise why not, to skip with. Where services are required (CI,
 * HUBBUB_REQUIRE_SERVICES), a Redis that does not answer throws instead.
 */
export async function redisSkipReason (): Promise<string | false> {
  const client = new Redis(redisTestUrl, { lazyConnect: true, retryStrategy: () => null, connectTimeout: 3000 })
  // The failure is the answer (below), not an unhandled error event printed on the side.
  client.on('error', () => {})
  try {
    await client.connect()
    await client.ping()
    return false
  } catch (error) {
    const why = `Redis at ${redisTestUrl} does not answer (${(error as Error).message}); set REDIS_URL_TEST`
    if (servicesRequired) throw new Error(`${why}. CI and HUBBUB_REQUIRE_SERVICES need Redis.`)
    return why
  } finally {
    client.disconnect()
  }
}

/** A fresh key prefix, and the function that deletes every key under it. */
export function testRedisPrefix () {
  const prefix = `hubbub-test-${randomBytes(5).toString('hex')}:`
  return {
    prefix,
    async clean () {
      const client = new Redis(redisTestUrl, { lazyConnect: true, retryStrategy: () => null })
      try {
        await client.connect()
        let cursor = '0'
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
          if (keys.length > 0) await client.unlink(...keys)
          cursor = next
        } while (cursor !== '0')
      } finally {
        client.disconnect()
      }
    }
  }
}
