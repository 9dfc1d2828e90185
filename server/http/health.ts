import type { FastifyPluginAsync } from 'fastify'
import { AppError } from '../errors.ts'

const storeNames = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const

/** Liveness and readiness for load balancers and orchestrators (a front door takes a node out on 503). */
export const healthRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get('/healthz', async () => ({ status: 'ok' }))
  fastify.get('/readyz', async (request) => {
    if (fastify.draining()) throw new AppError('unavailable', 'This node is shutting down.')
    try {
      await fastify.storage.ping()
    } catch (err) {
      request.log.warn({ err }, 'storage is not ready')
      throw new AppError('unavailable', `The database (${storeNames[fastify.storage.kind]}) does not answer.`)
    }
    await fastify.cluster.ping()
    return { status: 'ready', storage: fastify.storage.kind, node: fastify.cluster.nodeName, redis: fastify.cluster.redis !== null }
  })
}
