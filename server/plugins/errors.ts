import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { ConnectionError, FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ErrorStatus, type ErrorBody } from '../../shared/protocol.ts'
import { isAppError, publicError } from '../errors.ts'
import { describeSchemaError } from '../validation.ts'

export const sendNotFound = (request: FastifyRequest, reply: FastifyReply) => reply.status(404)
  .send({ error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` } })

/** Fastify's own refusals, with messages of ours: theirs echo the URL, up to its whole length. */
const frameworkMessages: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large.',
  FST_ERR_BAD_URL: 'The URL is not valid: check its percent-encoding.',
  FST_ERR_MAX_PARAM_LENGTH: 'A part of the URL path is too long.'
}

/** The status and `{error: {code, message}}` body of any error; internals (stacks, SQL, paths) never leave. */
function errorReply (error: FastifyError, request: FastifyRequest): { status: number, body: ErrorBody } {
  if (isAppError(error)) return { status: ErrorStatus[error.code], body: { error: error.toJSON() } }
  if (error.validation) {
    return { status: 400, body: { error: { code: 'invalid_payload', message: describeSchemaError(error.validation[0], error.validationContext) } } }
  }
  const status = error.statusCode
  if (status !== undefined && status >= 400 && status < 500) {
    // Fastify's own client errors (malformed JSON, wrong content type, bad URL) carry safe messages.
    const message = frameworkMessages[error.code] ?? error.message
    return { status, body: { error: { code: status === 429 ? 'rate_limited' : 'invalid_payload', message } } }
  }
  request.log.error({ err: error }, 'unhandled error')
  return { status: 500, body: { error: publicError(error) } }
}

/** Every error leaves as `{error: {code, message}}`, and every 429 says when to come back. */
function sendError (error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const { status, body } = errorReply(error, request)
  // The limiter's figure, or a second when a 429 carries none.
  if (status === 429) reply.header('retry-after', Math.max(1, Math.ceil((body.error.retryAfterMs ?? 1000) / 1000)))
  return reply.status(status).send(body)
}

/**
 * The `frameworkErrors` option: what the router refuses before any route or hook runs (bad
 * percent-encoding, an over-long path parameter) gets the same envelope as everything else.
 */
export const frameworkErrors = sendError

/** The `clientErrorHandler` option: a request Node cannot parse as HTTP, answered in the envelope. */
export function clientErrorHandler (error: ConnectionError, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const [status, message] = error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
    ? [408, 'The request took too long to arrive.']
    : error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'The request headers are too large.']
      : [400, 'The request is not valid HTTP.']
  const body = JSON.stringify({ error: { code: 'invalid_payload', message } } satisfies ErrorBody)
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy(error)
}

export const errorsPlugin = fp(async (fastify) => {
  fastify.setErrorHandler<FastifyError>(sendError)
}, { name: 'errors' })
