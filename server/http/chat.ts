import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { chatRoutes } from '../../shared/chat.ts'
import { routeSchema } from './route-schema.ts'

/** Rooms and messages over HTTP, through the same chat service as the sockets. */
export const chatRoutesPlugin: FastifyPluginAsyncTypebox = async (fastify) => {
  const { listRooms, createRoom, invite, members, openDirect, messages } = chatRoutes
  fastify.addHook('onRequest', fastify.requireUser)
  const user = (request: { session: { user: { id: string, username: string } } | null }) => request.session!.user

  fastify.get(listRooms.url, { schema: routeSchema(listRooms) }, async (request) =>
    ({ rooms: await fastify.chat.listRooms(user(request)) }))

  fastify.post(createRoom.url, { schema: routeSchema(createRoom) }, async (request, reply) => {
    reply.status(201)
    return { room: await fastify.chat.createRoom(user(request), request.body) }
  })

  fastify.post(invite.url, { schema: routeSchema(invite) }, async (request) =>
    ({ room: await fastify.chat.invite(user(request), request.params.roomId, request.body.username) }))

  fastify.get(members.url, { schema: routeSchema(members) }, async (request) =>
    ({ members: await fastify.chat.members(user(request), request.params.roomId) }))

  fastify.post(openDirect.url, { schema: routeSchema(openDirect) }, async (request) =>
    ({ room: await fastify.chat.openDirect(user(request), request.body.username) }))

  fastify.get(messages.url, { schema: routeSchema(messages) }, async (request) =>
    fastify.chat.history(user(request), request.params.roomId, request.query.before, request.query.limit))
}
