import fp from 'fastify-plugin'
import { Server, type ServerOptions } from 'socket.io'
import { MAX_FRAME_BYTES } from '../../shared/limits.ts'
import { SOCKET_PATH } from '../../shared/protocol.ts'

declare module 'fastify' {
  interface FastifyInstance {
    io: Server
    /** True once the server is closing (from preClose on): /readyz answers 503, new connections are refused. */
    draining: () => boolean
  }
}

/**
 * Attaches Socket.IO to Fastify's HTTP server (the community plugin does not support Fastify 5).
 * On close, engine connections are dropped first, so clients see a transport close and reconnect
 * to another node or to this one when it is back.
 */
/** Engine.IO's refusal message (it answers 403) for a connection that reaches a closing node. */
const SHUTTING_DOWN = 'this node is shutting down'

export const socketIoPlugin = fp<Partial<ServerOptions> & { drainMs?: number }>(async (fastify, { drainMs = 0, allowRequest, ...options }) => {
  let draining = false
  const io = new Server(fastify.server, {
    path: SOCKET_PATH,
    serveClient: false,
    maxHttpBufferSize: MAX_FRAME_BYTES,
    ...options,
    // A closing node takes no new connection: the client tries again, and the front door sends it elsewhere.
    allowRequest (req, callback) {
      if (draining) return callback(SHUTTING_DOWN, false)
      if (allowRequest) return allowRequest(req, callback)
      callback(null, true)
    }
  })
  fastify.decorate('io', io)
  fastify.decorate('draining', () => draining)
  fastify.addHook('preClose', async () => {
    // Behind a front door: say not ready (/readyz) and wait until it has stopped sending new clients
    // here, then drop the connections, so that they reconnect to other nodes, not to this one.
    draining = true
    if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs))
    io.engine.close()
  })
  fastify.addHook('onClose', async () => {
    // Closes namespace adapters; the HTTP server is Fastify's to close.
    await Promise.all([...io._nsps.values()].map((nsp) => nsp.adapter.close()))
  })
}, { name: 'socket-io' })
