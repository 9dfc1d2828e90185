import { it } from 'node:test'
import { spawnServer } from './helpers/spawn-server.ts'
import { createTestSchema } from './helpers/postgres.ts'
import { redisTestUrl, testRedisPrefix } from './helpers/redis.ts'
it('times', async () => {
  const schema = await createTestSchema(); const p = testRedisPrefix()
  let t = Date.now()
  const s = await spawnServer({ DATABASE_URL: schema.url, REDIS_URL: redisTestUrl, REDIS_PREFIX: p.prefix, SERVE_CLIENT: 'false' })
  console.log('one spawn', Date.now() - t); t = Date.now()
  const ss = await Promise.all([1, 2, 3].map(() => spawnServer({ DATABASE_URL: schema.url, REDIS_URL: redisTestUrl, REDIS_PREFIX: p.prefix, SERVE_CLIENT: 'false' })))
  console.log('three spawns', Date.now() - t); t = Date.now()
  await Promise.all([s, ...ss].map((x) => x.stop()))
  console.log('stops', Date.now() - t)
  await schema.drop(); await p.clean()
})
