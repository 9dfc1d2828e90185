import { writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { Session } from 'node:inspector/promises'
import type { AddressInfo } from 'node:net'
import { writeHeapSnapshot } from 'node:v8'
import { createServerStats } from './server-stats.ts'
import { emitEvent, serveRpc, type Handlers } from './rpc.ts'

/**
 * This process's own figures. Made at import, so a server records into them (ticker push times,
 * `serverStats.recordPush`) from its first tick; each measurement window resets them.
 */
export const serverStats = createServerStats()

/**
 * The common part of every server under test: its own CPU, memory and event-loop accounting over
 * IPC, a `ready` event once it listens, and a graceful stop on SIGTERM.
 */
export function serveServerChild (handlers: Handlers, { port, close }: { port: number, close: () => Promise<void> }) {
  const stats = serverStats
  let closing = false
  const stop = async () => {
    if (closing) return
    closing = true
    stats.close()
    await close()
    process.exit(0)
  }
  process.on('SIGTERM', () => {
    stop().catch((error) => {
      process.stderr.write(`stop failed: ${error}\n`)
      process.exit(1)
    })
  })
  // A V8 CPU profile of exactly one measurement window (what `node --cpu-prof` gives for a whole run).
  let session: Session | null = null
  serveRpc({
    ...handlers,
    statsReset: () => { stats.reset(); return {} },
    statsRead: (options: { gc?: boolean }) => stats.read(options),
    async profileStart () {
      session = new Session()
      session.connect()
      await session.post('Profiler.enable')
      await session.post('Profiler.start')
      return {}
    },
    async profileStop ({ file }: { file: string }) {
      if (!session) return { file: null }
      const { profile } = await session.post('Profiler.stop')
      session.disconnect()
      session = null
      writeFileSync(file, JSON.stringify(profile))
      return { file }
    },
    /** A heap snapshot (for finding what each connection costs); a few seconds of pause. */
    heapSnapshot ({ file }: { file: string }) {
      return { file: writeHeapSnapshot(file) }
    },
    stop
  })
  emitEvent('ready', { port, pid: process.pid })
}

/** serveServerChild for a baseline's node:http server, once it listens on loopback at BENCH_PORT. */
export function listenServerChild (http: Server, close: () => Promise<void>, handlers: Handlers = {}) {
  http.listen(requiredPort(), '127.0.0.1', () => serveServerChild(handlers, { port: (http.address() as AddressInfo).port, close }))
}

/**
 * The `socketCounts` handler of a Socket.IO server: how many sockets it holds on each namespace
 * (what the server counts as connected, beside what the clients count).
 */
export const socketCounts = (io: { of: (name: string) => { sockets: Map<string, unknown> } }) =>
  ({ namespaces }: { namespaces: string[] }): Record<string, number> =>
    Object.fromEntries(namespaces.map((name) => [name, io.of(name).sockets.size]))

export const requiredPort = () => {
  const port = Number(process.env.BENCH_PORT ?? '0')
  if (!Number.isInteger(port) || port < 0) throw new Error(`bad BENCH_PORT ${process.env.BENCH_PORT}`)
  return port
}
