import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { authRoutes, SESSION_COOKIE } from '../../shared/auth.ts'
import type { SessionRecord } from '../storage/types.ts'
import { readToken } from '../plugins/authenticate.ts'
import { routeSchema } from './route-schema.ts'

/** Identity over HTTP: register, login, logout, me (PROTOCOL.md, "Identity"). */
export const authRoutesPlugin: FastifyPluginAsyncTypebox<{ cookieSecure: boolean }> = async (fastify, { cookieSecure }) => {
  const setSessionCookie = (reply: FastifyReply, token: string, session: SessionRecord) =>
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: cookieSecure,
      path: '/',
      expires: new Date(session.expiresAt)
    })

  const { register, login, logout, me } = authRoutes

  fastify.post(register.url, { schema: routeSchema(register) }, async (request, reply) => {
    const { token, session } = await fastify.auth.register(request.body, request.ip)
    setSessionCookie(reply, token, session).status(201)
    return { user: session.user, token }
  })

  fastify.post(login.url, { schema: routeSchema(login) }, async (request, reply) => {
    const { token, session } = await fastify.auth.login(request.body, request.ip)
    setSessionCookie(reply, token, session)
    return { user: session.user, token }
  })

  fastify.post(logout.url, { schema: routeSchema(logout), onRequest: fastify.requireUser }, async (request, reply) => {
    const sessionId = await fastify.auth.logout(readToken(request.headers, request.cookies)!)
    if (sessionId) fastify.realtime.disconnectSession(sessionId)
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.status(204).send()
  })

  fastify.get(me.url, { schema: routeSchema(me), onRequest: fastify.requireUser }, async (request) => {
    return { user: request.session!.user }
  })
}
