import type { IncomingMessage } from 'node:http'
import fp from 'fastify-plugin'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { Namespaces } from '../../shared/protocol.ts'
import { AppError } from '../errors.ts'
import { createProxyTrust, LOOPBACK_PROXIES } from '../security/client-address.ts'
import { createKeyCheck } from '../security/key-check.ts'

declare module 'fastify' {
  interface FastifyInstance {
    metrics: ReturnType<typeof createMetrics>
  }
}

/**
 * One registry per app, so several apps (tests, cluster nodes) never share counters. Every series
 * carries the node's name, so one Prometheus scraping several nodes keeps them apart.
 */
function createMetrics (node: string) {
  const registry = new Registry()
  registry.setDefaultLabels({ node })
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    eventsHandled: new Counter({ name: 'hubbub_events_handled_total', help: 'Socket.IO commands answered successfully', labelNames: ['event'], registers: [registry] }),
    eventsFailed: new Counter({ name: 'hubbub_events_failed_total', help: 'Socket.IO commands answered with an error', labelNames: ['event', 'code'], registers: [registry] }),
    ackLatency: new Histogram({
      name: 'hubbub_ack_latency_seconds',
      help: 'Time from receiving a command to sending its ack',
      labelNames: ['event'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry]
    }),
    slowReadersCut: new Counter({
      name: 'hubbub_slow_readers_cut_total',
      help: 'Connections closed because more than SOCKET_BUFFER_KB waited to be sent to them',
      registers: [registry]
    }),
    tickerPush: new Histogram({
      name: 'hubbub_ticker_push_seconds',
      help: 'Time from a market tick to its last ticker:quotes frame handed to the sockets (this node keeps up while it stays well below a tick)',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry]
    })
  }
}

const isLoopback = createProxyTrust(LOOPBACK_PROXIES)
const forwardingHeaders = ['x-forwarded-for', 'forwarded', 'x-real-ip']

/**
 * Who may read /metrics. With a token: whoever presents it as a bearer. Without one: a scraper on
 * this machine talking to us directly. A request that came through a proxy (one on loopback
 * included, which is why any forwarding header refuses it) is someone else's.
 */
function createMetricsAccess (token: string | null) {
  if (token !== null) {
    const presented = createKeyCheck([token])
    return (req: IncomingMessage) => {
      if (presented(req.headers.authorization) === null) throw new AppError('unauthorized', 'GET /metrics needs Authorization: Bearer with the metrics token.')
    }
  }
  return (req: IncomingMessage) => {
    const direct = forwardingHeaders.every((name) => req.headers[name] === undefined)
    if (!direct || !isLoopback(req.socket.remoteAddress ?? '', 0)) {
      throw new AppError('forbidden', 'GET /metrics answers only this machine; set METRICS_TOKEN to scrape it from elsewhere.')
    }
  }
}

export const metricsPlugin = fp<{ token: string | null, node: string }>(async (fastify, { token, node }) => {
  const metrics = createMetrics(node)
  fastify.decorate('metrics', metrics)
  new Gauge({ // eslint-disable-line no-new
    name: 'hubbub_connected_sockets',
    help: 'Connected sockets per namespace on this node',
    labelNames: ['namespace'],
    registers: [metrics.registry],
    collect () {
      for (const path of Object.values(Namespaces)) this.set({ namespace: path }, fastify.io.of(path).sockets.size)
    }
  })
  new Gauge({ // eslint-disable-line no-new
    name: 'hubbub_market_leader',
    help: 'Whether this node steps the market: 1 on exactly one node of a cluster (and on a node alone)',
    registers: [metrics.registry],
    collect () { this.set(fastify.ticker.leading ? 1 : 0) }
  })
  const checkAccess = createMetricsAccess(token)
  fastify.get('/metrics', { onRequest: async (request) => checkAccess(request.raw) }, async (_request, reply) => {
    reply.type(metrics.registry.contentType)
    return metrics.registry.metrics()
  })
}, { name: 'metrics', dependencies: ['socket-io'] })
