import type { AppOverrides } from '../../server/app.ts'
import { startApp, type TestApp } from './app.ts'
import { createTestSchema, postgresSkipReason, testStore } from './postgres.ts'
import { redisSkipReason, redisTestUrl, testRedisPrefix } from './redis.ts'

/** Said by the tests of several nodes in `npm run test:postgres`: they are on PostgreSQL in every run. */
export const ALREADY_ON_POSTGRES = 'several nodes always run on PostgreSQL: `npm test` ran this already'

/** Why several nodes cannot run here (no PostgreSQL or no Redis), or false: for `describe`'s skip. */
export async function nodesSkipReason () {
  if (testStore === 'postgres') return ALREADY_ON_POSTGRES
  return (await postgresSkipReason()) || (await redisSkipReason())
}

/**
 * `count` real app nodes in this process, as a cluster: one PostgreSQL schema and one Redis key
 * prefix of their own, each node on its own port. `close()` stops them and removes both.
 */
export async function startNodes (count: number, { env = {}, node, ...overrides }: AppOverrides & {
  env?: Record<string, string>
  /** What node i (from 0, in start order) has of its own. */
  node?: (i: number) => AppOverrides
} = {}) {
  const schema = await createTestSchema()
  const redis = testRedisPrefix()
  const nodes: TestApp[] = []
  const close = async () => {
    await Promise.all(nodes.map((node) => node.close()))
    await schema.drop()
    await redis.clean()
  }
  try {
    for (let i = 0; i < count; i++) {
      nodes.push(await startApp({
        ...overrides,
        ...node?.(i),
        env: { DATABASE_URL: schema.url, REDIS_URL: redisTestUrl, REDIS_PREFIX: redis.prefix, NODE_NAME: `node${i + 1}`, ...env }
      }))
    }
  } catch (error) {
    await close()
    throw error
  }
  return { nodes, prefix: redis.prefix, schemaUrl: schema.url, close }
}

export type TestNodes = Awaited<ReturnType<typeof startNodes>>
