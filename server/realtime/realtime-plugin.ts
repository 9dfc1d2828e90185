import fp from 'fastify-plugin'
import { ConnectErrors, Namespaces, type NamespaceName } from '../../shared/protocol.ts'
import { createHandshake } from './handshake.ts'
import { rooms } from './rooms.ts'

declare module 'fastify' {
  interface FastifyInstance {
    realtime: {
      /** Disconnects every socket of a session, on every namespace (and every node, with an adapter). */
      disconnectSession: (sessionId: string) => void
    }
  }
}

/**
 * Per namespace: whether a user is needed (/ticker also serves anonymous viewers), and whether
 * it pushes to every socket of a user through `user:<id>` rooms (/ticker: a signed-in user's
 * watchlists and alerts; anonymous viewers join none).
 */
const policies: Record<NamespaceName, { requireUser: boolean, userRoom: boolean }> = {
  chat: { requireUser: true, userRoom: true },
  notifications: { requireUser: true, userRoom: true },
  ticker: { requireUser: false, userRoom: true }
}

/** Puts the handshake in front of every namespace; the feature modules register the events. */
export const realtimePlugin = fp(async (fastify) => {
  // Socket.IO serves the main namespace to anyone, and nothing there would answer a command's
  // ack: it is refused as Socket.IO refuses a namespace that does not exist.
  fastify.io.of('/').use((_socket, next) => next(new Error(ConnectErrors.invalidNamespace)))
  for (const [name, path] of Object.entries(Namespaces) as [NamespaceName, string][]) {
    fastify.io.of(path).use(createHandshake({ auth: fastify.auth, parseCookie: fastify.parseCookie, clientAddress: fastify.clientAddress, ...policies[name] }))
  }
  fastify.decorate('realtime', {
    disconnectSession (sessionId: string) {
      for (const path of Object.values(Namespaces)) fastify.io.of(path).in(rooms.session(sessionId)).disconnectSockets(true)
    }
  })
}, { name: 'realtime', dependencies: ['socket-io', '@fastify/cookie'] })
