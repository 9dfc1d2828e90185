import { spawnSync } from 'node:child_process'
import { launchCluster, type LaunchedCluster } from '../../server/cluster/launcher.ts'
import { freePorts } from './free-ports.ts'
import { ALREADY_ON_POSTGRES } from './nodes.ts'
import { createTestSchema, postgresSkipReason, servicesRequired, testStore } from './postgres.ts'
import { redisSkipReason, redisTestUrl, testRedisPrefix } from './redis.ts'

/** Why real node processes behind HAProxy cannot run here, or false. In CI a missing part fails instead. */
export async function frontDoorSkipReason () {
  if (testStore === 'postgres') return ALREADY_ON_POSTGRES
  const services = (await postgresSkipReason()) || (await redisSkipReason())
  if (services) return services
  if (!spawnSync('haproxy', ['-v']).error) return false
  const why = 'HAProxy is not installed (apt-get install haproxy)'
  if (servicesRequired) throw new Error(`${why}; CI and HUBBUB_REQUIRE_SERVICES need it.`)
  return why
}

/**
 * `count` real nodes (`server/main.ts` processes) behind a real HAProxy, on a PostgreSQL schema
 * and a Redis prefix of their own. `close()` stops everything and removes both.
 */
export async function launchTestCluster (count: number, env: Record<string, string> = {}) {
  const schema = await createTestSchema()
  const redis = testRedisPrefix()
  const output: string[] = []
  let cluster: LaunchedCluster | undefined
  const removeAll = async () => {
    await cluster?.close()
    await schema.drop()
    await redis.clean()
  }
  try {
    cluster = await launchCluster({
      port: await freePorts(count + 1),
      count,
      env: { DATABASE_URL: schema.url, REDIS_URL: redisTestUrl, REDIS_PREFIX: redis.prefix, DATABASE_POOL_SIZE: '4', LOG_LEVEL: 'warn', ...env },
      // Kept for a failing test to print.
      output: (name, line) => {
        output.push(`${name} | ${line}`)
        if (process.env.HUBBUB_TEST_DEBUG) process.stderr.write(`${name} | ${line}\n`)
      }
    })
  } catch (error) {
    await removeAll()
    throw new Error(`${(error as Error).message}\n${output.slice(-40).join('\n')}`)
  }
  return { ...cluster, schemaUrl: schema.url, output, close: removeAll }
}

export type TestCluster = Awaited<ReturnType<typeof launchTestCluster>>
