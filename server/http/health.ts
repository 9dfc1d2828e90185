import type { FastifyPluginAsync } from 'fastify'
import { AppError } from '../errors.ts'

/** Liveness and readiness for load balancers and orchestrators. */
export const healthRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get('/healthz', async () => ({ status: 'ok' }))
  fastify.get('/readyz', async (request) => {
    try {
      await fastify.storage.ping()
    } catch (err) {
      request.log.warn({ err }, 'storage is not ready')
      throw new AppError('unavailable', 'Storage does not answer.')
    }
    return { status: 'ready', storage: fastify.storage.kind }
  })
}
