import { createHash } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { isNotificationUrl, notificationRoutes } from '../../shared/notifications.ts'
import { AppError } from '../errors.ts'
import { takeOrRefuse } from '../rate-limit/take-or-refuse.ts'
import type { RateLimiter } from '../rate-limit/rate-limiter.ts'
import { createKeyCheck } from '../security/key-check.ts'
import { routeSchema } from './route-schema.ts'

/** The inbox over HTTP: other services publish with a key; users list their own. */
export const notificationRoutesPlugin: FastifyPluginAsyncTypebox<{ publishKeys: readonly string[], publishLimiter: RateLimiter }> = async (fastify, { publishKeys, publishLimiter }) => {
  const { publish, list } = notificationRoutes
  const keyIndex = createKeyCheck(publishKeys)
  // Each key's budget is named by a digest of the key, not by its place in PUBLISH_KEYS (nodes may
  // list the keys in another order) and not by the key itself (it would sit in Redis's key names).
  const budgetNames = publishKeys.map((key) => createHash('sha256').update(key).digest('hex').slice(0, 16))

  fastify.post(publish.url, {
    schema: routeSchema(publish),
    // The key is checked before the body is validated, so a caller without one learns nothing.
    onRequest: async (request) => {
      const key = keyIndex(request.headers.authorization)
      if (key === null) throw new AppError('unauthorized', 'A valid publish key is required.')
      await takeOrRefuse(publishLimiter, budgetNames[key]!, 'Too many notifications published.')
    }
  }, async (request, reply) => {
    const { to, title, body, url, kind = 'system' } = request.body
    if (url !== undefined && !isNotificationUrl(url)) throw new AppError('invalid_payload', 'url: must be a same-site path or an http(s) URL with a host')
    const input = { kind, title: title.trim(), body, url }
    const result = 'all' in to
      ? await fastify.notifications.notifyAll(input)
      : await fastify.notifications.notifyUsernames(to.usernames, input)
    return reply.status(202).send(result)
  })

  fastify.get(list.url, { schema: routeSchema(list), onRequest: fastify.requireUser }, async (request) =>
    fastify.notifications.list(request.session!.user, request.query))
}
