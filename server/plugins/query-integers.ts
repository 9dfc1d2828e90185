import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../errors.ts'

/** An integer as JSON writes one: digits, an optional minus, no more than fit a double exactly. */
const PLAIN_INTEGER = /^-?\d{1,15}$/

const integerFields = (querystring: unknown) => Object.entries((querystring as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties ?? {})
  .filter(([, schema]) => schema.type === 'integer')
  .map(([name]) => name)

/**
 * Query values are text, and Fastify's validator coerces text to numbers the way `Number()` does:
 * `0x10` is 16, `1e1` 10, ` 5` 5, `1e400` Infinity (which then fails deep inside). Integer fields
 * of a route's querystring schema must be plain digits; anything else is 400 `invalid_payload`,
 * before the coercing validator sees it. Register before the routes: it adds itself to each.
 */
export const queryIntegersPlugin = fp(async (fastify) => {
  fastify.addHook('onRoute', (route) => {
    const fields = integerFields(route.schema?.querystring)
    if (fields.length === 0) return
    const check = async (request: FastifyRequest) => {
      const query = request.query as Record<string, unknown>
      for (const field of fields) {
        const value = query[field]
        if (value !== undefined && !(typeof value === 'string' && PLAIN_INTEGER.test(value))) {
          throw new AppError('invalid_payload', `${field}: must be an integer written in plain digits`)
        }
      }
    }
    route.preValidation = [...[route.preValidation ?? []].flat(), check]
  })
}, { name: 'query-integers' })
