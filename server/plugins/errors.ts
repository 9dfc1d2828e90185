import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ErrorStatus, type ErrorBody } from '../../shared/protocol.ts'
import { isAppError, publicError } from '../errors.ts'
import { describeSchemaError } from '../validation.ts'

export const sendNotFound = (request: FastifyRequest, reply: FastifyReply) => reply.status(404)
  .send({ error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` } })

/** Every error leaves as `{error: {code, message}}`; internals (stacks, SQL, paths) never do. */
export const errorsPlugin = fp(async (fastify) => {
  fastify.setErrorHandler<FastifyError>((error, request, reply) => {
    let status: number
    let body: ErrorBody
    if (isAppError(error)) {
      status = ErrorStatus[error.code]
      body = { error: error.toJSON() }
    } else if (error.validation) {
      status = 400
      body = { error: { code: 'invalid_payload', message: describeSchemaError(error.validation[0], error.validationContext) } }
    } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      status = 413
      body = { error: { code: 'invalid_payload', message: 'The request body is too large.' } }
    } else if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own client errors (malformed JSON, wrong content type) carry safe messages.
      status = error.statusCode
      body = { error: { code: status === 429 ? 'rate_limited' : 'invalid_payload', message: error.message } }
    } else {
      request.log.error({ err: error }, 'unhandled error')
      status = 500
      body = { error: publicError(error) }
    }
    // Every 429 says when to come back: the limiter's figure, or a second when there is none.
    if (status === 429) reply.header('retry-after', Math.max(1, Math.ceil((body.error.retryAfterMs ?? 1000) / 1000)))
    return reply.status(status).send(body)
  })
}, { name: 'errors' })
