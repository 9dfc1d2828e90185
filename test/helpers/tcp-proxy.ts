import { createConnection, createServer, type Socket } from 'node:net'

/**
 * A TCP proxy on 127.0.0.1 to `target`: what a test puts between the app and PostgreSQL to take
 * the database away (`cut()`: every connection dropped, nothing listening; `stall()`: nothing
 * answers) and give it back (`restore()`, on the same port). `close()` stops it for good.
 */
export async function startTcpProxy (target: { host: string, port: number }) {
  const sockets = new Set<Socket>()
  let stalled = false
  const server = createServer((client) => {
    // Stalled: the connection is accepted and then nothing ever answers.
    if (stalled) {
      sockets.add(client.on('error', () => {}).on('close', () => sockets.delete(client)))
      return
    }
    const upstream = createConnection(target)
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(a)
      a.on('error', () => b.destroy())
      a.on('close', () => { sockets.delete(a); b.destroy() })
      a.pipe(b)
    }
  })
  const listen = (port: number) => new Promise<number>((resolve, reject) => {
    server.once('error', reject).listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as { port: number }).port)
    })
  })
  const stop = () => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy()
    if (server.listening) server.close(() => resolve())
    else resolve()
  })
  const port = await listen(0)
  return {
    port,
    cut: stop,
    /** Nothing passes any more, on open connections or new ones: a database that hangs. */
    stall: async () => {
      for (const socket of sockets) socket.unpipe().pause()
      stalled = true
    },
    restore: async () => {
      stalled = false
      // Connections that hung stay dead (their state is unknown), as after a real network fault.
      for (const socket of sockets) if (socket.isPaused()) socket.destroy()
      if (!server.listening) await listen(port)
    },
    /**
     * Resolves once no connection is open (clients that close late, such as a blocked read
     * finishing, would otherwise reconnect to a closed proxy for as long as they retry).
     */
    idle: (timeoutMs = 5000) => new Promise<void>((resolve) => {
      const deadline = setTimeout(resolve, timeoutMs)
      const check = () => {
        if (sockets.size > 0) return
        clearTimeout(deadline)
        resolve()
      }
      for (const socket of sockets) socket.once('close', () => setImmediate(check))
      check()
    }),
    close: stop
  }
}
