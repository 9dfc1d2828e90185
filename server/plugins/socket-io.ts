import fp from 'fastify-plugin'
import { Server, type ServerOptions } from 'socket.io'
import { MAX_FRAME_BYTES } from '../../shared/limits.ts'
import { SOCKET_PATH } from '../../shared/protocol.ts'

declare module 'fastify' {
  interface FastifyInstance {
    io: Server
  }
}

/**
 * Attaches Socket.IO to Fastify's HTTP server (the community plugin does not support Fastify 5).
 * On close, engine connections are dropped first, so clients see a transport close and reconnect
 * to another node or to this one when it is back.
 */
export const socketIoPlugin = fp<Partial<ServerOptions>>(async (fastify, options) => {
  const io = new Server(fastify.server, {
    path: SOCKET_PATH,
    serveClient: false,
    maxHttpBufferSize: MAX_FRAME_BYTES,
    ...options
  })
  fastify.decorate('io', io)
  fastify.addHook('preClose', async () => {
    io.engine.close()
  })
  fastify.addHook('onClose', async () => {
    // Closes namespace adapters; the HTTP server is Fastify's to close.
    await Promise.all([...io._nsps.values()].map((nsp) => nsp.adapter.close()))
  })
}, { name: 'socket-io' })
