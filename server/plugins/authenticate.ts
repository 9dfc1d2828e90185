import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { SESSION_COOKIE } from '../../shared/auth.ts'
import { AppError } from '../errors.ts'
import type { SessionRecord } from '../storage/types.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The `onRequest` hook of routes that need a signed-in user; fills `request.session`. It runs
     * before the body is read and validated, so a caller without a session gets 401 and learns
     * nothing about what the route accepts.
     */
    requireUser: (request: FastifyRequest) => Promise<void>
  }
  interface FastifyRequest {
    session: SessionRecord | null
  }
}

/** The credential of an HTTP request or handshake: `Authorization: Bearer` first, then the cookie. */
export function readToken (headers: { authorization?: string | undefined }, cookies: Record<string, string | undefined>) {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')
  return bearer?.[1] ?? cookies[SESSION_COOKIE]
}

export const authenticatePlugin = fp(async (fastify) => {
  fastify.decorateRequest('session', null)
  fastify.decorate('requireUser', async (request: FastifyRequest) => {
    request.session = await fastify.auth.authenticate(readToken(request.headers, request.cookies))
    if (!request.session) throw new AppError('unauthorized', 'Sign in first.')
  })
}, { name: 'authenticate', dependencies: ['@fastify/cookie'] })
